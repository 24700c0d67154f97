CREATE TABLE <table> (LIKE metrics.usage_fact)

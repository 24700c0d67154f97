-- the fact table's primary key
ALTER TABLE <table> ADD PRIMARY KEY (cloud_id, window_start, instance_id)

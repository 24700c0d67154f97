-- the filter a request does not ask for: keeps every row (PostgreSQL drops it when it plans the statement)
TRUE

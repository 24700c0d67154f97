-- The export's reference: what psql's \copy (select * from report.server_usage) to 'f.csv' csv header runs.
-- <where> is empty (the whole view) or the bench's slice of windows.
COPY (SELECT * FROM report.server_usage <where>) TO STDOUT (FORMAT csv, HEADER)

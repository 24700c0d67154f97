-- Counters of the run, in the load's transaction: windows and rows add up; servers is the largest range's
-- count until the command sets the number of distinct servers of the whole run.
UPDATE metrics.run
SET windows = windows + :windows, servers = GREATEST(servers, :servers), rows_loaded = rows_loaded + :rows
WHERE run_id = :run

UPDATE metrics.run
SET windows = windows + :windows, servers = servers + :servers, rows_loaded = rows_loaded + :rows
WHERE run_id = :run

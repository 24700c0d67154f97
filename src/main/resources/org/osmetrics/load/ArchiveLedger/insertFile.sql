INSERT INTO metrics.imported_file (run_id, file_name, outcome, cloud_id,
scope, range_start, range_end, servers, detail) VALUES (:run, :file, :outcome, :cloud, :scope, :start,
:end, :servers, :detail)

INSERT INTO metrics.timeline_load (cloud_id, run_id, servers, intervals, problems, unknown_to_nova, error)
VALUES (:cloud, :run, :servers, :intervals, :problems, :unknown, :error)

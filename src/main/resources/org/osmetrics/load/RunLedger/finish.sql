UPDATE metrics.run SET status = :status, finished_at = :now,
error = :error WHERE run_id = :run

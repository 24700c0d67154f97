SELECT holder_pid, acquired_at, metrics.run_lock_alive(holder_pid, holder_key) AS alive
FROM metrics.run_lock WHERE cloud_key = :cloud FOR UPDATE

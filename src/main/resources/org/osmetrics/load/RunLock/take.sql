UPDATE metrics.run_lock SET holder_pid = :pid, holder_key = :key, acquired_at = now()
WHERE cloud_key = :cloud

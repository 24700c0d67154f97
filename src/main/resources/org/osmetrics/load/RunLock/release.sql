UPDATE metrics.run_lock SET holder_pid = NULL, holder_key = NULL, acquired_at = NULL
WHERE cloud_key = :cloud AND holder_pid = :pid AND holder_key = :key

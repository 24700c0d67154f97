UPDATE metrics.run SET status = 'failed', error = :error
WHERE cloud_id = :cloud AND status = 'running'

SELECT cloud_id, window_seconds FROM metrics.cloud WHERE cloud_key = :key

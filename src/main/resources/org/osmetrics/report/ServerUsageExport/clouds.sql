SELECT cloud_id, cloud_key, window_seconds FROM metrics.cloud ORDER BY cloud_key

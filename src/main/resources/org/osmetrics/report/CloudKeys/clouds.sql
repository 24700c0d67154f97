SELECT cloud_key FROM metrics.cloud ORDER BY cloud_key

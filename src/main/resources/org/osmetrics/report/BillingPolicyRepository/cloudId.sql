SELECT cloud_id FROM metrics.cloud WHERE cloud_key = :cloud

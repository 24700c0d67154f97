SELECT cloud_id FROM metrics.cloud

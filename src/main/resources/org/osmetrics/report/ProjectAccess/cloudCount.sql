SELECT count(*) FROM metrics.cloud WHERE cloud_key = :key

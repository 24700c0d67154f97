SELECT cloud_key, time_zone FROM metrics.cloud
WHERE CAST(:cloud AS text) IS NULL OR cloud_key = :cloud

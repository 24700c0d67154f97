SELECT cloud_key, time_zone FROM metrics.cloud
WHERE CAST(? AS text) IS NULL OR cloud_key = ?

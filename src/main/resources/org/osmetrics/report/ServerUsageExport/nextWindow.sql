-- the first window_start of a cloud (1st ?) at or after a time (2nd ?): one index probe of the key
SELECT min(window_start) FROM metrics.usage_fact
WHERE cloud_id = ? AND window_start >= ?

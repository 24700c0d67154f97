SELECT c.cloud_id, c.cloud_key, c.window_seconds, c.billing_start, c.time_zone,
  (SELECT min(x.range_start) FROM metrics.extracted_range x WHERE x.cloud_id = c.cloud_id) AS first_window,
  (SELECT max(x.range_end) FROM metrics.extracted_range x WHERE x.cloud_id = c.cloud_id) AS loaded_until
FROM metrics.cloud c
ORDER BY c.cloud_key

SELECT min(r.first) AS first, max(r.last) AS last
FROM metrics.cloud c CROSS JOIN LATERAL (SELECT min(f.window_start) AS first,
max(f.window_start) AS last FROM metrics.usage_fact f WHERE f.cloud_id = c.cloud_id) r

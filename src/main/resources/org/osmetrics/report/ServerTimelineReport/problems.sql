-- The problems met building a server's timeline (and its hours Nova dropped), oldest first
SELECT c.cloud_key, a.kind, a.range_start, a.detail
FROM metrics.anomaly a
JOIN metrics.cloud c ON c.cloud_id = a.cloud_id
WHERE a.instance_id = :id AND (a.kind LIKE 'timeline\_%' OR a.kind = 'dropped_hours')
  AND (CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud)
ORDER BY c.cloud_key, a.range_start, a.anomaly_id

SELECT count(*) > 0 FROM metrics.anomaly
WHERE cloud_id = :cloud AND instance_id = :instance AND (kind LIKE 'timeline\_%' OR kind = 'dropped_hours')
  AND kind = 'timeline_unknown_to_nova'

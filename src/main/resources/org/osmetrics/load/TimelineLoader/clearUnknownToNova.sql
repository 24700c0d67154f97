-- Nova answers for these servers again: their 404 is history
DELETE FROM metrics.anomaly
WHERE cloud_id = :cloud AND instance_id = ANY(:ids) AND (kind LIKE 'timeline\_%' OR kind = 'dropped_hours')
  AND kind = 'timeline_unknown_to_nova'

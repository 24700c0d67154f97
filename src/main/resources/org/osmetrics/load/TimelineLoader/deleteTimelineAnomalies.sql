-- a rebuilt timeline replaces the problems found in the server's earlier ones (the 404 of an archived server stays)
DELETE FROM metrics.anomaly
WHERE cloud_id = :cloud AND instance_id = ANY(:ids)
  AND (kind LIKE 'timeline\_%' OR kind = 'dropped_hours') AND kind <> 'timeline_unknown_to_nova'

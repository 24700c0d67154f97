-- The flavors each server was seen with, each from the launched_at that showed it (V1: never overwritten), and the
-- flavor it has now from its launched_at, in case the history lacks it
SELECT h.instance_id::text AS instance_id, h.started_at AS since, fl.flavor_id, fl.name
FROM metrics.server_flavor_history h
JOIN metrics.flavor fl ON fl.flavor_id = h.flavor_id
WHERE h.cloud_id = :cloud AND h.instance_id = ANY(CAST(:ids AS uuid[]))
UNION
SELECT s.instance_id::text, s.started_at, fl.flavor_id, fl.name
FROM metrics.server s
JOIN metrics.flavor fl ON fl.flavor_id = s.flavor_id
WHERE s.cloud_id = :cloud AND s.instance_id = ANY(CAST(:ids AS uuid[]))
ORDER BY 1, 2

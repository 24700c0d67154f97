-- A server's timeline: its intervals with the flavor's name, and its project and name as usage knows them
SELECT c.cloud_key, i.instance_id::text AS instance_id, s.project_id, s.name, i.valid_from, i.valid_to, i.vm_state,
       fl.name AS flavor, i.assumption
FROM metrics.server_interval i
JOIN metrics.cloud c ON c.cloud_id = i.cloud_id
LEFT JOIN metrics.server s ON s.cloud_id = i.cloud_id AND s.instance_id = i.instance_id
LEFT JOIN metrics.flavor fl ON fl.flavor_id = i.flavor_id
WHERE i.instance_id = CAST(:id AS uuid) AND (CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud)
ORDER BY c.cloud_key, i.valid_from

-- What usage told of the servers whose timelines are built: project, state now, launched_at, terminated_at
SELECT s.instance_id::text AS instance_id, s.project_id, s.state, s.started_at, s.ended_at
FROM metrics.server s
WHERE s.cloud_id = :cloud AND s.instance_id = ANY(CAST(:ids AS uuid[]))

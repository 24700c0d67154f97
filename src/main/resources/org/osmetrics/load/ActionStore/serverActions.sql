-- Every stored action of one server, oldest first.
SELECT request_id, action, project_id, user_id, start_time, updated_at, message, events::text AS events, events_read
FROM metrics.instance_action
WHERE cloud_id = :cloud AND instance_id = CAST(:instance AS uuid)
ORDER BY start_time NULLS FIRST, request_id

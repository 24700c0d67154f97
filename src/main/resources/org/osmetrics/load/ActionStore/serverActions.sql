-- Every stored action of some servers, each server's oldest first.
SELECT instance_id::text AS instance_id, request_id, action, project_id, user_id, start_time, updated_at, message,
       events::text AS events, events_read
FROM metrics.instance_action
WHERE cloud_id = :cloud AND instance_id = ANY(CAST(:instances AS uuid[]))
ORDER BY instance_id, start_time NULLS FIRST, request_id

-- Of some servers, the actions whose events were read and had all finished: no need to ask for them again.
SELECT instance_id::text AS instance_id, request_id
FROM metrics.instance_action
WHERE cloud_id = :cloud AND instance_id = ANY(CAST(:instances AS uuid[])) AND events_read
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(events) e WHERE e->>'finish_time' IS NULL)

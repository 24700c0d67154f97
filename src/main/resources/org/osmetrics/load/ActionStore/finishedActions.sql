-- The actions of one server whose events were read and had all finished: no need to ask for them again.
SELECT request_id
FROM metrics.instance_action
WHERE cloud_id = :cloud AND instance_id = CAST(:instance AS uuid) AND events_read
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(events) e WHERE e->>'finish_time' IS NULL)

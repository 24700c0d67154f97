-- One action as read from Nova; events already read (and finished) are kept when this read did not ask for them.
INSERT INTO metrics.instance_action AS a (cloud_id, instance_id, request_id, action, project_id, user_id,
                                          start_time, updated_at, message, events, events_read, read_at)
VALUES (:cloud, CAST(:instance AS uuid), :request, :action, :project, :user, :start, :updated, :message,
        CAST(:events AS jsonb), :eventsRead, :readAt)
ON CONFLICT (cloud_id, instance_id, request_id) DO UPDATE SET
    action      = EXCLUDED.action,
    project_id  = EXCLUDED.project_id,
    user_id     = EXCLUDED.user_id,
    start_time  = EXCLUDED.start_time,
    updated_at  = coalesce(EXCLUDED.updated_at, a.updated_at),
    message     = EXCLUDED.message,
    events      = CASE WHEN EXCLUDED.events_read THEN EXCLUDED.events ELSE a.events END,
    events_read = a.events_read OR EXCLUDED.events_read,
    read_at     = EXCLUDED.read_at

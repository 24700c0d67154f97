SELECT cloud_id, instance_id, name, started_at, ended_at, state, uptime
FROM metrics.server

-- The servers of every range of a batch, with the range's start and stop and its position.
COPY stage_batch_server (instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime, first_seen,
    last_seen, doc)
FROM STDIN

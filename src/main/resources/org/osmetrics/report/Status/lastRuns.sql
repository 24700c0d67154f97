-- The latest runs of the ledger, newest first, with whether a process still holds the cloud's run lock
-- (a 'running' row without it is a run that died: killed, crashed, or its machine went down). :cloud (null: all)
-- keeps the runs of one cloud.
SELECT r.run_id, r.command, c.cloud_key, r.scope, r.range_start, r.range_end, r.started_at, r.finished_at,
       r.status, r.windows, r.servers, r.rows_loaded, r.error,
       EXISTS (SELECT 1 FROM metrics.run_lock l
               WHERE l.cloud_key = c.cloud_key AND metrics.run_lock_alive(l.holder_pid, l.holder_key)) AS lock_held
FROM metrics.run r
LEFT JOIN metrics.cloud c ON c.cloud_id = r.cloud_id
WHERE CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud
ORDER BY r.run_id DESC
LIMIT :limit

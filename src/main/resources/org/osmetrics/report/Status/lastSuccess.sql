-- Per cloud and scope that a command ran for: its last successful run, its latest finished run and its latest
-- attempt (finished or not). A cloud that was only backfilled (no run of the command yet) is listed with the
-- scopes it was backfilled for, so monitoring sees that nothing keeps it up to date; other commands (demo,
-- import-json) do not list a cloud. Forgotten scopes (os-metrics scopes forget) are left out until they run again.
-- :cloud (null: all) keeps one cloud.
WITH runs AS (
    SELECT c.cloud_key, r.cloud_id, r.command, r.scope, r.status, r.started_at, r.finished_at, r.rows_loaded, r.run_id
    FROM metrics.run r
    JOIN metrics.cloud c ON c.cloud_id = r.cloud_id
    WHERE r.scope IS NOT NULL AND NOT metrics.scope_forgotten(r.cloud_id, r.scope)
      AND (CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud)
),
keys AS (
    SELECT DISTINCT cloud_key, scope FROM runs WHERE command = :command
    UNION
    SELECT DISTINCT b.cloud_key, b.scope FROM runs b
    WHERE b.command = 'backfill'
      AND NOT EXISTS (SELECT 1 FROM metrics.run x WHERE x.cloud_id = b.cloud_id AND x.command = :command)
),
own AS (
    SELECT * FROM runs WHERE command = :command
)
SELECT k.cloud_key, k.scope,
       s.finished_at AS success_finished_at, s.started_at AS success_started_at, s.rows_loaded AS success_rows,
       l.status AS latest_status, l.finished_at AS latest_finished_at, a.started_at AS attempt_started_at
FROM keys k
LEFT JOIN LATERAL (SELECT * FROM own x WHERE x.cloud_key = k.cloud_key AND x.scope = k.scope
                   AND x.status = 'succeeded' ORDER BY x.finished_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT * FROM own x WHERE x.cloud_key = k.cloud_key AND x.scope = k.scope
                   AND x.status <> 'running' ORDER BY x.finished_at DESC LIMIT 1) l ON true
LEFT JOIN LATERAL (SELECT * FROM own x WHERE x.cloud_key = k.cloud_key AND x.scope = k.scope
                   ORDER BY x.started_at DESC LIMIT 1) a ON true
ORDER BY k.cloud_key, k.scope

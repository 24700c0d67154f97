-- Per cloud and scope that a command ran for: its last successful run and its latest finished run. Forgotten
-- scopes (os-metrics scopes forget) are left out until they run again.
WITH runs AS (
    SELECT c.cloud_key, r.scope, r.status, r.started_at, r.finished_at, r.rows_loaded, r.run_id
    FROM metrics.run r
    JOIN metrics.cloud c ON c.cloud_id = r.cloud_id
    WHERE r.command = :command AND r.scope IS NOT NULL AND NOT metrics.scope_forgotten(r.cloud_id, r.scope)
)
SELECT k.cloud_key, k.scope,
       s.finished_at AS success_finished_at, s.started_at AS success_started_at, s.rows_loaded AS success_rows,
       l.status AS latest_status, l.finished_at AS latest_finished_at
FROM (SELECT DISTINCT cloud_key, scope FROM runs) k
LEFT JOIN LATERAL (SELECT * FROM runs x WHERE x.cloud_key = k.cloud_key AND x.scope = k.scope
                   AND x.status = 'succeeded' ORDER BY x.finished_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT * FROM runs x WHERE x.cloud_key = k.cloud_key AND x.scope = k.scope
                   AND x.status <> 'running' ORDER BY x.finished_at DESC LIMIT 1) l ON true
ORDER BY k.cloud_key, k.scope

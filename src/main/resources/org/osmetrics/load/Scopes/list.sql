-- Every cloud and scope a command ran for or loaded: its runs, its loaded ranges, and whether it is forgotten.
WITH scopes AS (
    SELECT cloud_id, scope FROM metrics.run WHERE cloud_id IS NOT NULL AND scope IS NOT NULL
    UNION
    SELECT cloud_id, scope FROM metrics.extracted_range
)
SELECT c.cloud_key, s.scope, p.name AS project_name,
       r.runs, r.first_started, r.last_started, r.last_success,
       x.first_window, x.loaded_until,
       f.forgotten_at,
       metrics.scope_forgotten(s.cloud_id, s.scope) AS forgotten
FROM scopes s
JOIN metrics.cloud c ON c.cloud_id = s.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = s.cloud_id AND p.project_id = s.scope
LEFT JOIN LATERAL (
    SELECT count(*) AS runs, min(started_at) AS first_started, max(started_at) AS last_started,
           max(finished_at) FILTER (WHERE status = 'succeeded') AS last_success
    FROM metrics.run WHERE cloud_id = s.cloud_id AND scope = s.scope) r ON true
LEFT JOIN LATERAL (
    SELECT min(range_start) AS first_window, max(range_end) AS loaded_until
    FROM metrics.extracted_range WHERE cloud_id = s.cloud_id AND scope = s.scope) x ON true
LEFT JOIN metrics.forgotten_scope f ON f.cloud_id = s.cloud_id AND f.scope = s.scope
ORDER BY c.cloud_key, s.scope

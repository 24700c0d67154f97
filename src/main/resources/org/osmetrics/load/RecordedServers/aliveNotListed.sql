-- The servers this database knows were alive in [:start, :end) of the scope, but that Nova's answer for that
-- range does not list (:listed): those with usage facts recorded in its windows (by an earlier run), and those
-- whose recorded life overlaps it (Nova lists every instance launched before the end and not terminated before
-- the start; a server not ended when last seen was alive up to then).
WITH known AS (
    SELECT s.instance_id FROM metrics.server s
    WHERE s.cloud_id = :cloud AND (:allProjects OR s.project_id = :project)
      AND s.started_at < :end AND coalesce(s.ended_at, s.last_seen) > :start
    UNION
    SELECT f.instance_id FROM metrics.usage_fact f
    WHERE f.cloud_id = :cloud AND f.window_start >= :start AND f.window_start < :end
      AND (:allProjects OR f.project_id = :project)
)
SELECT k.instance_id::text FROM known k
WHERE NOT EXISTS (SELECT 1 FROM unnest(CAST(:listed AS uuid[])) AS l(id) WHERE l.id = k.instance_id)
ORDER BY 1

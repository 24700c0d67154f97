-- Facts of this scope and range that this extraction replaces: every provisional one, and (only with
-- --restate) the closed ones of servers the source no longer lists.
DELETE FROM metrics.usage_fact f
WHERE f.cloud_id = :cloud
  AND f.window_start >= :start AND f.window_start < :end
  AND (:allProjects OR f.project_id = :project)
  AND (f.provisional
       OR (:restate AND f.window_end <= :stop
           AND NOT EXISTS (SELECT 1 FROM stage_fact s
                           WHERE s.instance_id = f.instance_id AND s.window_start = f.window_start)))

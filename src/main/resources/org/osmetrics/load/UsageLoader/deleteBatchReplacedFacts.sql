-- Facts of each staged range's scope and range that its extraction replaces: every provisional one, and
-- (only with --restate) the closed ones of servers the source no longer lists.
DELETE FROM metrics.usage_fact f
USING stage_batch_range d
WHERE NOT d.fresh
  AND f.cloud_id = :cloud
  AND f.window_start >= d.range_start AND f.window_start < d.range_end
  AND (d.all_projects OR f.project_id = d.project_id)
  AND (f.provisional
       OR (:restate AND f.window_end <= d.stop
           AND NOT EXISTS (SELECT 1 FROM stage_batch_fact s
                           WHERE s.doc = d.doc AND s.instance_id = f.instance_id
                             AND s.window_start = f.window_start)))

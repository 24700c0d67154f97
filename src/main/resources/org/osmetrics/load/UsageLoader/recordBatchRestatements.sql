-- Differences between the closed windows already recorded (non-provisional facts, or windows an earlier
-- extraction of the same projects saw closed) and the staged ranges' extractions: changed hours or flavor,
-- servers gone, servers new. State and uptime change by nature and are not compared. An identical pending
-- restatement is not logged twice (checked on the differences only: diff is read twice, so materialized).
-- Every staged range at once (their rows are disjoint); returns the restatements logged per range.
WITH recorded AS (
    -- both through the key (cloud, window): a project's range with a filter on the project
    SELECT d.doc, d.stop AS range_stop, f.*
    FROM stage_batch_range d
    JOIN metrics.usage_fact f
      ON f.cloud_id = :cloud AND f.project_id = d.project_id
     AND f.window_start >= d.range_start AND f.window_start < d.range_end
    WHERE NOT d.fresh AND NOT d.all_projects AND NOT f.provisional
    UNION ALL
    SELECT d.doc, d.stop AS range_stop, f.*
    FROM stage_batch_range d
    JOIN metrics.usage_fact f
      ON f.cloud_id = :cloud AND f.window_start >= d.range_start AND f.window_start < d.range_end
    WHERE NOT d.fresh AND d.all_projects AND NOT f.provisional
), diff AS (
    SELECT COALESCE(r.doc, s.doc)                   AS doc,
           COALESCE(r.instance_id, s.instance_id)   AS instance_id,
           COALESCE(r.window_start, s.window_start) AS window_start,
           COALESCE(r.window_end, s.window_end)     AS window_end,
           COALESCE(r.project_id, s.project_id)     AS project_id,
           r.hours AS old_hours, s.hours AS new_hours, r.flavor_id AS old_flavor_id, s.flavor_id AS new_flavor_id
    FROM recorded r
    FULL JOIN stage_batch_fact s ON s.doc = r.doc AND s.instance_id = r.instance_id AND s.window_start = r.window_start
    WHERE (r.instance_id IS NOT NULL AND s.instance_id IS NOT NULL
           AND (r.hours <> s.hours OR r.flavor_id <> s.flavor_id))
       OR (s.instance_id IS NULL AND r.window_end <= r.range_stop)
       OR (r.instance_id IS NULL AND NOT s.provisional
           AND EXISTS (SELECT 1 FROM metrics.extracted_range x
                       WHERE x.cloud_id = :cloud AND (x.scope = '*' OR x.scope = s.project_id)
                         AND tstzrange(x.range_start, x.stop) @> tstzrange(s.window_start, s.window_end))
           AND NOT EXISTS (SELECT 1 FROM metrics.usage_fact p
                           WHERE p.cloud_id = :cloud AND p.instance_id = s.instance_id
                             AND p.window_start = s.window_start))
), logged AS (
    INSERT INTO metrics.restatement
           (cloud_id, instance_id, window_start, window_end, project_id, old_hours, new_hours, old_flavor_id,
            new_flavor_id, applied, run_id)
    SELECT :cloud, d.instance_id, d.window_start, d.window_end, d.project_id, d.old_hours, d.new_hours,
           d.old_flavor_id, d.new_flavor_id, :restate, :run
    FROM diff d
    WHERE :restate OR NOT EXISTS (
        SELECT 1 FROM metrics.restatement x
        WHERE x.cloud_id = :cloud AND x.instance_id = d.instance_id AND x.window_start = d.window_start
          AND NOT x.applied
          AND x.old_hours IS NOT DISTINCT FROM d.old_hours AND x.new_hours IS NOT DISTINCT FROM d.new_hours
          AND x.old_flavor_id IS NOT DISTINCT FROM d.old_flavor_id
          AND x.new_flavor_id IS NOT DISTINCT FROM d.new_flavor_id)
    RETURNING instance_id, window_start
)
SELECT d.doc, count(*) AS restatements
FROM logged l
JOIN diff d ON d.instance_id = l.instance_id AND d.window_start = l.window_start
GROUP BY d.doc

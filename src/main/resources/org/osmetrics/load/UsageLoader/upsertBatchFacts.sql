-- A closed window already recorded for the project stays as it is unless --restate: new rows go in only
-- where the window was not recorded yet, and existing rows change only when provisional (or --restate)
-- and only when a value differs, so an idempotent re-run writes no tuple. Every staged range at once (no
-- two share a key); returns the rows written per range. Whether a window is already recorded is asked once
-- per project and window, not per fact.
WITH recorded_window AS (
    SELECT k.project_id, k.window_start, k.window_end
    FROM (SELECT DISTINCT project_id, window_start, window_end FROM stage_batch_fact) k
    WHERE EXISTS (SELECT 1 FROM metrics.extracted_range x
                  WHERE x.cloud_id = :cloud AND (x.scope = '*' OR x.scope = k.project_id)
                    AND tstzrange(x.range_start, x.stop) @> tstzrange(k.window_start, k.window_end))
), written AS (
    INSERT INTO metrics.usage_fact AS f
           (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus, memory_mb, local_gb,
            hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id)
    SELECT :cloud, s.window_start, s.window_end, s.instance_id, s.project_id, s.flavor_id, s.vcpus, s.memory_mb,
           s.local_gb, s.hours, s.vcpu_hours, s.memory_mb_hours, s.local_gb_hours, s.state, s.provisional, :run
    FROM stage_batch_fact s
    WHERE :restate
       OR s.provisional
       OR NOT EXISTS (SELECT 1 FROM recorded_window w
                      WHERE w.project_id = s.project_id AND w.window_start = s.window_start
                        AND w.window_end = s.window_end)
    ON CONFLICT (cloud_id, instance_id, window_start) DO UPDATE SET
        window_end      = excluded.window_end,
        project_id      = excluded.project_id,
        flavor_id       = excluded.flavor_id,
        vcpus           = excluded.vcpus,
        memory_mb       = excluded.memory_mb,
        local_gb        = excluded.local_gb,
        hours           = excluded.hours,
        vcpu_hours      = excluded.vcpu_hours,
        memory_mb_hours = excluded.memory_mb_hours,
        local_gb_hours  = excluded.local_gb_hours,
        state           = excluded.state,
        provisional     = excluded.provisional,
        run_id          = excluded.run_id
    WHERE (f.provisional OR :restate)
      AND (f.window_end, f.project_id, f.flavor_id, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours,
           f.memory_mb_hours, f.local_gb_hours, f.state, f.provisional)
          IS DISTINCT FROM
          (excluded.window_end, excluded.project_id, excluded.flavor_id, excluded.vcpus, excluded.memory_mb,
           excluded.local_gb, excluded.hours, excluded.vcpu_hours, excluded.memory_mb_hours, excluded.local_gb_hours,
           excluded.state, excluded.provisional)
    RETURNING instance_id, window_start
)
SELECT s.doc, count(*) AS written
FROM written w
JOIN stage_batch_fact s ON s.instance_id = w.instance_id AND s.window_start = w.window_start
GROUP BY s.doc

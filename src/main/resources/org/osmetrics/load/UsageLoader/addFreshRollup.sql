-- The counts of the fresh facts, which the loader COPYs into their month's partition, where the triggers of
-- metrics.usage_fact that keep metrics.usage_rollup (V83) do not fire: added as those triggers add them. The
-- loader sends its counts in parts (bounded memory), so a group may come in more than one row: summed here.
-- Why this second writer stays (issue #13): the triggers on the fresh COPY path cost ~30% of the new-row load
-- (BENCHMARKS.md, round 4); every other write (upserts, restatements, deletes) goes through the triggers.
INSERT INTO metrics.usage_rollup AS r
       (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, facts)
SELECT s.window_start, :cloud, s.project_id, s.flavor_id, s.vcpus, s.memory_mb, s.local_gb, s.hours, s.provisional,
       sum(s.facts)
FROM stage_batch_rollup s
GROUP BY s.window_start, s.project_id, s.flavor_id, s.vcpus, s.memory_mb, s.local_gb, s.hours, s.provisional
ON CONFLICT (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional)
DO UPDATE SET facts = r.facts + excluded.facts

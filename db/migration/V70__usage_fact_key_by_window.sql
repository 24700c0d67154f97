-- The fact table's key in window order: (cloud, window_start, instance) instead of (cloud, instance,
-- window_start). Same columns, so the same uniqueness and the same ON CONFLICT target; but a load of new
-- windows appends at the right edge of each partition's index instead of touching one leaf page per server,
-- and "is anything of this cloud in [start, end) yet" is one index probe (BENCHMARKS.md).
ALTER TABLE metrics.usage_fact DROP CONSTRAINT usage_fact_pkey;
ALTER TABLE metrics.usage_fact ADD PRIMARY KEY (cloud_id, window_start, instance_id);

-- Staging table of the facts of one load that meets recorded data, shaped like its target (without cloud
-- and run): filled by COPY, dropped at commit.
CREATE TEMP TABLE stage_fact ON COMMIT DROP AS
SELECT instance_id, project_id, window_start, window_end, flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours,
       memory_mb_hours, local_gb_hours, state, provisional
FROM metrics.usage_fact WITH NO DATA;
ALTER TABLE stage_fact ADD PRIMARY KEY (instance_id, window_start);

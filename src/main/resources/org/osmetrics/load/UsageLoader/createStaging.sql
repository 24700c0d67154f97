-- Staging tables of one load, shaped like their targets (without cloud and run): filled by COPY,
-- dropped at commit.
CREATE TEMP TABLE stage_server ON COMMIT DROP AS
SELECT instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime
FROM metrics.server WITH NO DATA;
CREATE TEMP TABLE stage_fact ON COMMIT DROP AS
SELECT instance_id, project_id, window_start, window_end, flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours,
       memory_mb_hours, local_gb_hours, state, provisional
FROM metrics.usage_fact WITH NO DATA;
ALTER TABLE stage_fact ADD PRIMARY KEY (instance_id, window_start);

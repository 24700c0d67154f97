-- The fresh facts counted per window, project, flavor, sizes, hours and provisional flag (addFreshRollup.sql).
COPY stage_batch_rollup (window_start, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, facts)
FROM STDIN WITH (FORMAT binary)

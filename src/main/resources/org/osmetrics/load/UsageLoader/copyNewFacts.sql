-- The facts of the ranges nothing is recorded in yet go straight into the fact table (markFreshBatchRanges.sql),
-- into the partition of their month (<partition>: the loader puts in Partitions.table of the month): the triggers
-- that keep metrics.usage_rollup (V83) and metrics.usage_server_day (V108) are the fact table's and do not fire, and
-- the loader adds the counts and server days itself (addFreshRollup.sql, addFreshServerDays.sql), which costs hash
-- maps in the loader instead of a transition table of every row in PostgreSQL.
COPY metrics.<partition> (cloud_id, instance_id, project_id, window_start, window_end, flavor_id, vcpus, memory_mb,
    local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id)
FROM STDIN WITH (FORMAT binary)

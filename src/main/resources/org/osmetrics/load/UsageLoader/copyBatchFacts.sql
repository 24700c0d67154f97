-- The facts of the ranges of a batch that meet recorded data, after their position in the batch.
COPY stage_batch_fact (doc, instance_id, project_id, window_start, window_end, flavor_id, vcpus, memory_mb, local_gb,
    hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional)
FROM STDIN WITH (FORMAT binary)

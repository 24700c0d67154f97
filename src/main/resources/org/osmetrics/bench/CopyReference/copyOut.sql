-- the cloud's fact rows, in the columns copyIn.sql reads; <cloudId>: an integer from the database, not input text
COPY (SELECT cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus, memory_mb, local_gb,
hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id
FROM metrics.usage_fact WHERE cloud_id = <cloudId>) TO STDOUT

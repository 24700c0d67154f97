-- the facts of some clouds (1st ?) in [2nd ?, 3rd ?)
SELECT cloud_id, window_start, window_end, instance_id, project_id, flavor_id,
vcpus, memory_mb, local_gb, hours, provisional FROM metrics.usage_fact
WHERE cloud_id = ANY(?) AND window_start >= ? AND window_start < ?

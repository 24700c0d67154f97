SELECT flavor_id, name, vcpus, memory_mb, local_gb FROM metrics.flavor WHERE cloud_id = :cloud

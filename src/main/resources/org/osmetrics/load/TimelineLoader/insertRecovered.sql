INSERT INTO metrics.recovered_usage (cloud_id, instance_id, window_start, window_end, vm_state, flavor_id, project_id,
                                     vcpus, memory_mb, local_gb, hours, run_id)
SELECT :cloud, CAST(:instance AS uuid), :start, :end, :state, fl.flavor_id, :project, fl.vcpus, fl.memory_mb,
       fl.local_gb, :hours, :run
FROM metrics.flavor fl
WHERE fl.flavor_id = :flavor

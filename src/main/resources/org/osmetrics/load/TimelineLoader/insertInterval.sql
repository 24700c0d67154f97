INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to, vm_state, flavor_id, assumption, run_id)
VALUES (:cloud, CAST(:instance AS uuid), :from, :to, :state, :flavor, :assumption, :run)

INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb)
VALUES (:cloud, :name, :vcpus, :memory, :disk)
ON CONFLICT DO NOTHING

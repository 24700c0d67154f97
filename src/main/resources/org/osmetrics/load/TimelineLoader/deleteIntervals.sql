DELETE FROM metrics.server_interval WHERE cloud_id = :cloud AND instance_id = ANY(CAST(:ids AS uuid[]))

DELETE FROM metrics.recovered_usage WHERE cloud_id = :cloud AND instance_id = ANY(CAST(:ids AS uuid[]))

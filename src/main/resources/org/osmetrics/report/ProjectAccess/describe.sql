SELECT c.cloud_key, p.name FROM metrics.cloud c LEFT JOIN metrics.project p
ON p.cloud_id = c.cloud_id AND p.project_id = :project WHERE c.cloud_id = :cloud

SELECT c.cloud_key, p.cloud_id, p.project_id, p.name FROM metrics.project p
JOIN metrics.cloud c ON c.cloud_id = p.cloud_id WHERE p.name = :ref
AND (CAST(:cloudKey AS text) IS NULL OR c.cloud_key = :cloudKey) ORDER BY c.cloud_key, p.project_id

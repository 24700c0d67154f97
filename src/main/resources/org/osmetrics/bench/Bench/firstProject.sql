SELECT project_id FROM metrics.project ORDER BY project_id LIMIT 1

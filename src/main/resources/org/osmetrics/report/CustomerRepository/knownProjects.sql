SELECT DISTINCT project_id FROM metrics.project

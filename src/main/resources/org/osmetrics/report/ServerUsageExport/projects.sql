SELECT cloud_id, project_id, name FROM metrics.project

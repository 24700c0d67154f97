INSERT INTO metrics.project_access (cloud_id, project_id, role_oid, role_name)
VALUES (:cloud, :project, :role, :name) ON CONFLICT DO NOTHING

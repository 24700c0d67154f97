SELECT EXISTS (SELECT 1 FROM metrics.project_access WHERE role_oid = :oid)

DELETE FROM metrics.project_access a
WHERE CASE WHEN CAST(:oid AS bigint) IS NULL
        THEN a.role_name = :name AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = a.role_oid)
        ELSE a.role_oid = CAST(:oid AS bigint)::oid END
  AND (CAST(:cloud AS integer) IS NULL OR (a.cloud_id = :cloud AND a.project_id = :project))
  AND (CAST(:cloudKey AS text) IS NULL OR a.cloud_id = (SELECT cloud_id FROM metrics.cloud WHERE cloud_key = :cloudKey))
RETURNING cloud_id, project_id

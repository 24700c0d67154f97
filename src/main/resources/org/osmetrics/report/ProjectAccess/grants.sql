SELECT coalesce(r.rolname, a.role_name) AS role, r.oid IS NULL AS dropped, c.cloud_key, a.project_id,
       p.name, a.granted_at, a.granted_by
FROM metrics.project_access a
JOIN metrics.cloud c ON c.cloud_id = a.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = a.cloud_id AND p.project_id = a.project_id
LEFT JOIN pg_roles r ON r.oid = a.role_oid
ORDER BY 1, 3, 4

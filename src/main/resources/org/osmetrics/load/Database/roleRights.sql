-- One row, for a role that may not migrate: it neither owns the schemas (nor is a member of their owner) nor,
-- before they exist, may create schemas in the database. No row: it may migrate.
SELECT current_user::text AS role, h.oid IS NOT NULL AS history_exists,
  coalesce(has_schema_privilege(h.relnamespace, 'USAGE') AND has_table_privilege(h.oid, 'SELECT'), false)
    AS history_readable,
  -- a member of the report roles that is not a loader: it only reads the views
  EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname IN ('os_metrics_reader', 'os_metrics_tenant')
    AND pg_has_role(current_user, r.oid, 'USAGE')) AND NOT EXISTS (SELECT 1 FROM pg_roles r
    WHERE r.rolname = 'os_metrics_loader' AND pg_has_role(current_user, r.oid, 'USAGE')) AS reports_only
FROM (SELECT 1) one
LEFT JOIN (SELECT c.oid, c.relnamespace FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'metrics' AND c.relname = 'flyway_schema_history') h ON true
WHERE NOT ((SELECT coalesce(bool_and(pg_has_role(current_user, n.nspowner, 'USAGE')), true) FROM pg_namespace n
    WHERE n.nspname IN ('metrics', 'report'))
  AND (has_database_privilege(current_database(), 'CREATE')
    OR (SELECT count(*) FROM pg_namespace n WHERE n.nspname IN ('metrics', 'report')) = 2))

SELECT string_agg(DISTINCT r.rolname, ', ') FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
WHERE n.nspname = 'report' AND c.relkind IN ('v', 'm') AND (r.rolsuper OR r.rolbypassrls)

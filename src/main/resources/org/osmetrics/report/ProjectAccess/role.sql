SELECT oid::bigint AS oid, rolname, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = :name

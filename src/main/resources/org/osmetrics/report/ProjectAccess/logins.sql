SELECT r.rolname FROM pg_roles r
WHERE r.rolcanlogin AND NOT r.rolsuper AND (r.oid = :oid OR pg_has_role(r.oid, :oid::oid, 'MEMBER'))
ORDER BY r.rolname

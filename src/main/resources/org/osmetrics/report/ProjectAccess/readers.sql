SELECT r.rolname FROM pg_roles r
WHERE r.rolname <> :reader AND NOT r.rolsuper AND pg_has_role(r.oid, :reader, 'MEMBER')
ORDER BY r.rolname

SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
WHERE m.member = :oid::oid AND g.rolname = :group)

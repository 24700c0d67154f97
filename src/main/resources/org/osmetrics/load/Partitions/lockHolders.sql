SELECT string_agg(DISTINCT 'pid ' || l.pid || coalesce(' (role ' || a.usename || ')', ''),
', ') FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
AND l.relation = 'metrics.usage_fact'::regclass

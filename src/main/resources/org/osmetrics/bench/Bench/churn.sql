SELECT coalesce(sum(s.n_tup_ins), 0) AS ins, coalesce(sum(s.n_tup_upd), 0) AS upd,
coalesce(sum(s.n_tup_del), 0) AS del, coalesce(sum(s.n_dead_tup), 0) AS dead
FROM pg_stat_user_tables s JOIN pg_inherits i ON i.inhrelid = s.relid
WHERE i.inhparent = 'metrics.usage_fact'::regclass

SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) AS bytes,
(SELECT count(*) FROM metrics.usage_fact) AS rows
FROM pg_inherits i WHERE i.inhparent = 'metrics.usage_fact'::regclass

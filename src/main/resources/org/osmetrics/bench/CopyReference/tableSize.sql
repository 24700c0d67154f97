SELECT pg_total_relation_size(CAST(:table AS regclass))

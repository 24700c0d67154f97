-- The windows of a server that hold a fact, in a span
SELECT window_start FROM metrics.usage_fact
WHERE cloud_id = :cloud AND instance_id = CAST(:instance AS uuid) AND window_start >= :from AND window_start < :to

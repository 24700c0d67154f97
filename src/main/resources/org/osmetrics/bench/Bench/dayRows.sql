SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ANY(:clouds)
AND window_start >= :from AND window_start < :to

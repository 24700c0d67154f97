SELECT count(*) FROM metrics.usage_fact WHERE window_start >= CAST(:from AS timestamptz)
AND window_start < CAST(:from AS timestamptz) + interval '1 month'

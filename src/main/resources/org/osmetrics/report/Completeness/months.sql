SELECT cloud, project_id, project_name, label, period_start, period_end, status,
missing FROM report.completeness
WHERE period = 'month'
AND (CAST(:from AS timestamptz) IS NULL OR period_start >= :from)
AND (CAST(:to AS timestamptz) IS NULL OR period_start < :to)
AND (CAST(:cloud AS text) IS NULL OR cloud = :cloud)
AND (cardinality(CAST(:projects AS text[])) = 0 OR project_id = ANY(:projects) OR project_name = ANY(:projects))
ORDER BY period_start, cloud, project_id

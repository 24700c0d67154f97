SELECT DISTINCT cloud, period_start, period_end
FROM report.completeness WHERE period = 'month' AND label = :month
AND (CAST(:cloud AS text) IS NULL OR cloud = :cloud)

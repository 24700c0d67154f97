SELECT DISTINCT cloud, period_start, period_end
FROM report.completeness WHERE period = 'month' AND label = ?
AND (CAST(? AS text) IS NULL OR cloud = ?)

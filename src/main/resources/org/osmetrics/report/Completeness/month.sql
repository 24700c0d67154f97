SELECT cloud, project_id, project_name, label, period_start,
period_end, status, missing FROM report.completeness WHERE period = 'month' AND label = :label
AND (CAST(:cloud AS text) IS NULL OR cloud = :cloud) ORDER BY cloud, project_id

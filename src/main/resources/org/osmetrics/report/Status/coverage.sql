-- The periods of report.coverage (loaded, provisional, missing) per cloud and scope, in time order; forgotten
-- scopes (os-metrics scopes forget) are left out until they run again. :cloud (null: all) keeps one cloud.
SELECT v.cloud, v.scope, v.status, v.period_start, v.period_end, v.windows
FROM report.coverage v
JOIN metrics.cloud c ON c.cloud_key = v.cloud
WHERE NOT metrics.scope_forgotten(c.cloud_id, v.scope)
  AND (CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud)
ORDER BY v.cloud, v.scope, v.period_start

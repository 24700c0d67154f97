-- The periods of report.coverage (loaded, provisional, missing) per cloud and scope, in time order.
SELECT cloud, scope, status, period_start, period_end, windows
FROM report.coverage
ORDER BY cloud, scope, period_start

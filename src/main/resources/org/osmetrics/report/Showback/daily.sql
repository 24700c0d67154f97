-- Each project's usage per day of the month, as report.project_usage_daily has it.
SELECT project_id, day, vcpu_hours, ram_gb_hours, server_hours, server_count
FROM report.project_usage_daily
WHERE cloud = :cloud AND month = :month
ORDER BY project_id, day

-- Each project's usage in each of the months asked for, as report.project_usage_monthly has it.
SELECT project_id, project_name, month, vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours, server_count, provisional
FROM report.project_usage_monthly
WHERE cloud = :cloud AND month = ANY(:months)
ORDER BY month, project_id

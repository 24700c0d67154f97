-- The month's usage per flavor (the flavor in force in each window, after resizes), summed exactly from
-- report.server_usage as report.project_usage_monthly sums the facts.
SELECT flavor,
       count(DISTINCT instance_id)                              AS server_count,
       trim_scale(sum(hours::numeric))                          AS server_hours,
       trim_scale(sum(hours::numeric * vcpus))                  AS vcpu_hours,
       trim_scale(sum(hours::numeric * memory_mb) * 0.0009765625) AS ram_gb_hours
FROM report.server_usage
WHERE cloud = :cloud AND window_start >= :from AND window_start < :to
GROUP BY flavor
ORDER BY vcpu_hours DESC, flavor

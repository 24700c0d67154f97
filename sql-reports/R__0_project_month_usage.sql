-- metrics.project_month_usage: each project's usage of a month of its cloud (the months of metrics.billing_month),
-- summed as report.project_usage_monthly sums it: the quantities from the rollup (count x (hours x size) per group,
-- exact decimals), the servers from the server days (on a one-day grid from the facts, which are the server days
-- there: V111) as the array of their distinct ids, for the views that count the distinct servers of several
-- projects together (report.customer_monthly, cost_centre_monthly, domain_monthly) and for
-- report.project_usage_monthly. A plain view, inlined where it is used, so a condition on the month reads only that
-- month. Replaced in place (the report views depend on it): a change may add columns at the end only.
--
--   cloud_id, month_start      the cloud and the month's start (metrics.billing_month)
--   project_id                 a project with usage in the month
--   vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours   exact, not trimmed
--   servers                    the distinct ids of its servers with usage in the month
--   provisional                true when any window of it was still open when extracted
--   month_local, month_end     the month's first day in the cloud's time zone, and its end (metrics.billing_month)
CREATE OR REPLACE VIEW metrics.project_month_usage AS
SELECT m.cloud_id,
       m.month_start,
       u.project_id,
       u.vcpu_hours,
       u.ram_gb_hours,
       u.disk_gb_hours,
       u.server_hours,
       u.servers,
       u.provisional,
       m.month_local,
       m.month_end
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    SELECT q.project_id, q.vcpu_hours, q.ram_gb_hours, q.disk_gb_hours, q.server_hours, s.servers, q.provisional
    FROM (SELECT r.project_id,
                 sum(r.facts * (r.hours::numeric * r.vcpus))                    AS vcpu_hours,
                 sum(r.facts * (r.hours::numeric * r.memory_mb)) * 0.0009765625  AS ram_gb_hours,
                 sum(r.facts * (r.hours::numeric * r.local_gb))                 AS disk_gb_hours,
                 sum(r.facts * r.hours::numeric)                                AS server_hours,
                 bool_or(r.provisional)                                         AS provisional
          FROM metrics.usage_rollup r
          WHERE r.window_start >= m.month_start AND r.window_start < m.month_end AND r.cloud_id = m.cloud_id
          GROUP BY r.project_id) q
    LEFT JOIN (
        -- a UTC day the month's start or end cuts counts a server when its last window of the day is at or after
        -- the start and its first before the end (as in report.project_usage_monthly)
        SELECT d.project_id, array_agg(DISTINCT d.instance_id) AS servers
        FROM (SELECT s.project_id, s.instance_id
              FROM metrics.usage_server_day s
              WHERE s.cloud_id = m.cloud_id
                AND s.day >= (m.month_start AT TIME ZONE 'UTC')::date
                AND s.day <= ((m.month_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date
                AND s.last_window >= m.month_start AND s.first_window < m.month_end
              UNION ALL
              SELECT f.project_id, f.instance_id
              FROM metrics.usage_fact f
              WHERE m.window_seconds = 86400 AND f.cloud_id = m.cloud_id
                AND f.window_start >= m.month_start AND f.window_start < m.month_end) d
        GROUP BY d.project_id) s ON s.project_id = q.project_id) u;

COMMENT ON VIEW metrics.project_month_usage IS
    'Per cloud, month (billing time zone) and project: the quantities from the rollup and the distinct servers.';

-- report.project_usage_monthly: how much did each project use in a month (in the cloud's billing time zone, UTC by default)?
-- One row per cloud, project and calendar month with usage. Quantities are exact decimals (numeric):
-- each window's hours (a double) is taken as numeric (15 significant digits) and summed exactly.
-- Filter on month or month_start: only that month's partition of the fact table is read.
--
--   cloud, project_id, project_name  where the usage belongs (project_name null when unknown)
--   month          'YYYY-MM'
--   month_start, month_end  the month as instants, [start, end)
--   vcpu_hours     sum of hours x vcpus
--   ram_gb_hours   sum of hours x memory_mb / 1024 (GB = GiB, as Nova's MB are MiB)
--   disk_gb_hours  sum of hours x local_gb
--   server_hours   sum of hours
--   server_count   distinct servers with usage in the month
--   provisional    true when any window of it was still open when extracted
DROP VIEW IF EXISTS report.project_usage_monthly;
CREATE VIEW report.project_usage_monthly AS
SELECT c.cloud_key                                        AS cloud,
       u.project_id,
       p.name                                             AS project_name,
       to_char(m.month_local, 'YYYY-MM')                   AS month,
       m.month_start,
       m.month_end,
       u.vcpu_hours,
       u.ram_gb_hours,
       u.disk_gb_hours,
       u.server_hours,
       u.server_count,
       u.provisional
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    -- one month at a time. The quantities come from the rollup: count x (hours x size) per group is exactly the sum
    -- of the facts one by one (numeric is exact), so the month is read in O(groups); the servers from
    -- metrics.usage_server_day (V108), one row per server and UTC day: a UTC day the month's start or end cuts
    -- counts a server when its last window of the day is at or after the start and its first before the end (on a
    -- one-day grid from the facts, which are the server days there)
    SELECT m.cloud_id,
           x.project_id,
           trim_scale(sum(x.facts * (x.hours::numeric * x.vcpus)))        AS vcpu_hours,
           trim_scale(sum(x.facts * (x.hours::numeric * x.memory_mb)) * 0.0009765625) AS ram_gb_hours,
           trim_scale(sum(x.facts * (x.hours::numeric * x.local_gb)))     AS disk_gb_hours,
           trim_scale(sum(x.facts * x.hours::numeric))                    AS server_hours,
           count(x.instance_id)                                           AS server_count,
           bool_or(x.provisional)                                         AS provisional
    -- one pass over each: the rollup's groups (quantities) and the distinct (project, server) pairs of the server
    -- days (servers; sorted server first: a uuid decides almost every comparison), side by side, aggregated
    -- together (sum, bool_or and count skip the other side's nulls)
    FROM (SELECT r.project_id, r.facts, r.hours, r.vcpus, r.memory_mb, r.local_gb, r.provisional,
                 NULL::uuid AS instance_id
          FROM metrics.usage_rollup r
          WHERE r.window_start >= m.month_start AND r.window_start < m.month_end AND r.cloud_id = m.cloud_id
          UNION ALL
          SELECT d.project_id, NULL, NULL, NULL, NULL, NULL, NULL, d.instance_id
          FROM (SELECT DISTINCT s.instance_id, s.project_id
                FROM metrics.usage_server_day s
                WHERE s.cloud_id = m.cloud_id
                  AND s.day >= (m.month_start AT TIME ZONE 'UTC')::date
                  AND s.day <= ((m.month_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date
                  AND s.last_window >= m.month_start AND s.first_window < m.month_end) d
          UNION ALL
          -- a cloud on a one-day grid has no server days kept apart: its facts are them (V111)
          SELECT d.project_id, NULL, NULL, NULL, NULL, NULL, NULL, d.instance_id
          FROM (SELECT DISTINCT f.instance_id, f.project_id
                FROM metrics.usage_fact f
                WHERE m.window_seconds = 86400 AND f.cloud_id = m.cloud_id
                  AND f.window_start >= m.month_start AND f.window_start < m.month_end) d) x
    GROUP BY x.project_id) u
JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id;

COMMENT ON VIEW report.project_usage_monthly IS
    'Per cloud, project and (billing time zone) month: vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours, server_count, provisional.';
GRANT SELECT ON report.project_usage_monthly TO os_metrics_reader;

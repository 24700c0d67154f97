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
-- each project's month from metrics.project_month_usage: the quantities from the rollup (count x (hours x size) per
-- group is exactly the sum of the facts one by one: numeric is exact), the servers from metrics.usage_server_day
-- (V108; on a one-day grid from the facts, V111)
SELECT c.cloud_key                                        AS cloud,
       u.project_id,
       p.name                                             AS project_name,
       to_char(u.month_local, 'YYYY-MM')                   AS month,
       u.month_start,
       u.month_end,
       trim_scale(u.vcpu_hours)                           AS vcpu_hours,
       trim_scale(u.ram_gb_hours)                         AS ram_gb_hours,
       trim_scale(u.disk_gb_hours)                        AS disk_gb_hours,
       trim_scale(u.server_hours)                         AS server_hours,
       coalesce(cardinality(u.servers), 0)::bigint        AS server_count,
       u.provisional
FROM metrics.project_month_usage u
JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id;

COMMENT ON VIEW report.project_usage_monthly IS
    'Per cloud, project and (billing time zone) month: vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours, server_count, provisional.';
GRANT SELECT ON report.project_usage_monthly TO os_metrics_reader;

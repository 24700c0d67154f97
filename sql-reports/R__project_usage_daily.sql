-- report.project_usage_daily: how much did each project use on a day (in the cloud's billing time zone, UTC by default)?
-- One row per cloud, project and calendar day with usage. Quantities as in project_usage_monthly
-- (exact decimals). The days are computed a month at a time: filter on month or month_start as well as
-- on day to read only that month's partition (a filter on day alone reads every month).
--
--   cloud, project_id, project_name  where the usage belongs (project_name null when unknown)
--   day            the date in the cloud's billing time zone (`clouds set --time-zone`)
--   day_start      the day's start (timestamptz)
--   month, month_start  the month the day is in ('YYYY-MM', and its start)
--   vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours, server_count, provisional
--                  as in project_usage_monthly, for the day
DROP VIEW IF EXISTS report.project_usage_daily;
CREATE VIEW report.project_usage_daily AS
SELECT c.cloud_key                                        AS cloud,
       u.project_id,
       p.name                                             AS project_name,
       (u.day_start AT TIME ZONE m.time_zone)::date       AS day,
       u.day_start,
       to_char(m.month_local, 'YYYY-MM')                   AS month,
       m.month_start,
       u.vcpu_hours,
       u.ram_gb_hours,
       u.disk_gb_hours,
       u.server_hours,
       u.server_count,
       u.provisional
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    -- the month's days in the billing time zone: a window belongs to the day its start is in (the days counted
    -- from 0 to 30: a series of constant integers, which the planner knows holds 31 rows, not 1,000)
    SELECT d AT TIME ZONE m.time_zone                      AS day_start,
           (d + interval '1 day') AT TIME ZONE m.time_zone  AS day_end
    FROM generate_series(0, 30) AS n
    CROSS JOIN LATERAL (SELECT m.month_local + n * interval '1 day' AS d) AS nd
    WHERE d < m.month_local + interval '1 month') dd
CROSS JOIN LATERAL (
    -- one day at a time, so that only the day's rows are read and hashed; quantities from the rollup, exact as in
    -- project_usage_monthly, servers from metrics.usage_server_day as there (a local day meets one or two UTC days;
    -- on a one-day grid from the facts)
    SELECT m.cloud_id,
           x.project_id,
           dd.day_start,
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
          WHERE r.window_start >= dd.day_start AND r.window_start < dd.day_end AND r.cloud_id = m.cloud_id
          UNION ALL
          SELECT d.project_id, NULL, NULL, NULL, NULL, NULL, NULL, d.instance_id
          FROM (SELECT DISTINCT s.instance_id, s.project_id
                FROM metrics.usage_server_day s
                WHERE s.cloud_id = m.cloud_id
                  AND s.day >= (dd.day_start AT TIME ZONE 'UTC')::date
                  AND s.day <= ((dd.day_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date
                  AND s.last_window >= dd.day_start AND s.first_window < dd.day_end
                  -- a local day strictly inside a UTC day (a zone with an offset between -1 h and 0 on a short day:
                  -- none since 1972), the server's windows on both sides of it: only the facts tell
                  AND (s.first_window >= dd.day_start OR s.last_window < dd.day_end
                       OR EXISTS (SELECT 1 FROM metrics.usage_fact f
                                  WHERE f.cloud_id = s.cloud_id AND f.instance_id = s.instance_id
                                    AND f.project_id = s.project_id
                                    AND f.window_start >= dd.day_start AND f.window_start < dd.day_end))) d
          UNION ALL
          -- a cloud on a one-day grid has no server days kept apart: its facts are them (V111)
          SELECT d.project_id, NULL, NULL, NULL, NULL, NULL, NULL, d.instance_id
          FROM (SELECT DISTINCT f.instance_id, f.project_id
                FROM metrics.usage_fact f
                WHERE m.window_seconds = 86400 AND f.cloud_id = m.cloud_id
                  AND f.window_start >= dd.day_start AND f.window_start < dd.day_end) d) x
    GROUP BY x.project_id) u
JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id;

COMMENT ON VIEW report.project_usage_daily IS
    'Per cloud, project and (billing time zone) day: vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours, server_count, provisional.';
GRANT SELECT ON report.project_usage_daily TO os_metrics_reader;

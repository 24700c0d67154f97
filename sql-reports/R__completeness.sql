-- report.completeness: is a period of a project final, so that it can be billed?
-- One row per cloud, project (every project the cloud's data names) and period: each day and each month in
-- the cloud's billing time zone (`clouds set KEY --time-zone`, default UTC; windows stay UTC), from the
-- earliest of the billing start, the first extracted window and the first usage to the period holding now.
--
--   cloud, project_id, project_name
--   period          'day' or 'month'
--   label           'YYYY-MM-DD' or 'YYYY-MM' (in the time zone)
--   period_start, period_end   the period, [start, end), as instants
--   time_zone       the zone the period is cut in
--   status          'complete'      every expected window of the period is closed and covered by a complete
--                                   extraction (not provisional, not suspected truncated) of a scope that includes
--                                   the project ('*' or the project itself)
--                   'provisional'   nothing is missing, but some expected windows are still open or were
--                                   extracted while open (a later run replaces them)
--                   'incomplete'    some closed expected windows were never extracted completely: see missing
--                   'not_expected'  the whole period lies before the cloud's billing start
--                   With no billing start, every window of the period is expected; with one, the windows from it on.
--   missing         the missing ranges, 'start/end' in UTC (ISO 8601 intervals), comma separated, in time order
--   missing_windows, open_windows   how many windows are missing, provisional or still open
--
-- report.period_completeness(cloud_id, project_id, start, end) answers the same for any [start, end):
-- report.invoice_monthly and `os-metrics invoice` use it.
CREATE OR REPLACE FUNCTION report.period_completeness(p_cloud_id integer, p_project_id text,
                                                      p_start timestamptz, p_end timestamptz)
    RETURNS TABLE (status text, missing text, missing_windows bigint, open_windows bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
WITH cl AS (
    SELECT c.window_seconds,
           tstzmultirange(tstzrange(least(greatest(p_start, coalesce(c.billing_start, p_start)), p_end), p_end)) AS expected,
           to_timestamp(floor(extract(epoch FROM now()) / c.window_seconds) * c.window_seconds) AS open_window_start
    FROM metrics.cloud c
    WHERE c.cloud_id = p_cloud_id AND p_start < p_end
), x AS (
    SELECT coalesce(range_agg(tstzrange(r.range_start, CASE WHEN r.provisional THEN r.closed_until ELSE r.range_end END))
                        FILTER (WHERE NOT r.truncation_suspected), '{}'::tstzmultirange) AS loaded,
           coalesce(range_agg(tstzrange(r.closed_until, r.range_end)) FILTER (WHERE r.provisional),
                    '{}'::tstzmultirange) AS provisional
    FROM (SELECT e.range_start, e.range_end, e.provisional, e.truncation_suspected,
                 greatest(e.range_start, to_timestamp(floor(extract(epoch FROM e.stop) / cl.window_seconds)
                                                      * cl.window_seconds)) AS closed_until
          FROM metrics.extracted_range e, cl
          WHERE e.cloud_id = p_cloud_id AND e.scope IN ('*', p_project_id)
            AND e.range_start < p_end AND e.range_end > p_start) r
), s AS (
    SELECT cl.window_seconds,
           cl.expected,
           cl.expected * tstzmultirange(tstzrange(NULL, cl.open_window_start)) - x.loaded - x.provisional AS missing,
           cl.expected * ((x.provisional - x.loaded) + tstzmultirange(tstzrange(cl.open_window_start, NULL))) AS open
    FROM cl, x
)
SELECT CASE WHEN isempty(s.expected) THEN 'not_expected'
            WHEN NOT isempty(s.missing) THEN 'incomplete'
            WHEN NOT isempty(s.open) THEN 'provisional'
            ELSE 'complete' END,
       (SELECT string_agg(to_char(lower(m) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') || '/'
                              || to_char(upper(m) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'), ', ' ORDER BY m)
        FROM unnest(s.missing) m),
       (SELECT coalesce(sum(extract(epoch FROM upper(m) - lower(m)) / s.window_seconds), 0)::bigint
        FROM unnest(s.missing) m),
       (SELECT coalesce(sum(extract(epoch FROM upper(m) - lower(m)) / s.window_seconds), 0)::bigint
        FROM unnest(s.open) m)
FROM s
$$;
COMMENT ON FUNCTION report.period_completeness(integer, text, timestamptz, timestamptz) IS
    'Completeness of [start, end) for one project of one cloud: complete, provisional, incomplete (missing ranges) or not_expected.';
GRANT EXECUTE ON FUNCTION report.period_completeness(integer, text, timestamptz, timestamptz) TO os_metrics_reader;

-- The first instant a cloud's periods start from: its billing start, or its first extracted range or fact if
-- earlier. SECURITY DEFINER so that a tenant (row-level security on the ranges and facts) gets the same periods as
-- finance for its own projects; it tells when the cloud's data begin, nothing of any project.
CREATE OR REPLACE FUNCTION report.cloud_first_instant(p_cloud_id integer) RETURNS timestamptz
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT least(c.billing_start,
                 (SELECT min(e.range_start) FROM metrics.extracted_range e WHERE e.cloud_id = c.cloud_id),
                 (SELECT min(u.window_start) FROM metrics.usage_rollup u WHERE u.cloud_id = c.cloud_id))
    FROM metrics.cloud c
    WHERE c.cloud_id = p_cloud_id
$$;
GRANT EXECUTE ON FUNCTION report.cloud_first_instant(integer) TO os_metrics_reader;

DROP VIEW IF EXISTS report.completeness;
CREATE VIEW report.completeness AS
SELECT c.cloud_key                          AS cloud,
       pr.project_id,
       pr.name                              AS project_name,
       per.period,
       per.label,
       per.period_start,
       per.period_end,
       c.time_zone,
       pc.status,
       pc.missing,
       pc.missing_windows,
       pc.open_windows
FROM metrics.cloud c
JOIN metrics.project pr ON pr.cloud_id = c.cloud_id
CROSS JOIN LATERAL (SELECT report.cloud_first_instant(c.cloud_id) AS first_instant) f
CROSS JOIN LATERAL (
    SELECT 'month' AS period,
           to_char(g, 'YYYY-MM') AS label,
           g AT TIME ZONE c.time_zone AS period_start,
           (g + interval '1 month') AT TIME ZONE c.time_zone AS period_end
    FROM generate_series(date_trunc('month', f.first_instant AT TIME ZONE c.time_zone),
                         date_trunc('month', now() AT TIME ZONE c.time_zone), interval '1 month') AS g
    UNION ALL
    SELECT 'day',
           to_char(g, 'YYYY-MM-DD'),
           g AT TIME ZONE c.time_zone,
           (g + interval '1 day') AT TIME ZONE c.time_zone
    FROM generate_series(date_trunc('day', f.first_instant AT TIME ZONE c.time_zone),
                         date_trunc('day', now() AT TIME ZONE c.time_zone), interval '1 day') AS g) per
CROSS JOIN LATERAL report.period_completeness(c.cloud_id, pr.project_id, per.period_start, per.period_end) pc;

COMMENT ON VIEW report.completeness IS
    'Per cloud, project, day and month (billing time zone): complete, provisional, incomplete (missing ranges) or not_expected.';
GRANT SELECT ON report.completeness TO os_metrics_reader;

-- report.coverage: which windows of each cloud are loaded, provisional or missing?
-- One row per contiguous period of one status, per cloud and scope (a project id, or '*' for ranges
-- extracted for all projects at once), up to the start of the window open now. Periods are on the cloud's
-- window grid. Missing windows are counted from the cloud's billing start (`clouds set KEY --billing-start`)
-- when it is set, else from the first extracted window: what was loaded before the billing start is history
-- and stays 'loaded', its gaps are not reported; a billing start before the first load makes the windows
-- between 'missing'.
--
--   cloud            the cloud key
--   scope            '*' (all projects) or the project id the ranges were extracted for
--   project_name     the project's name for a project scope, when known
--   status           'loaded'      closed windows extracted completely: the record
--                    'provisional' windows extracted while still open (a later run replaces them); the
--                                  windows of the same range that had closed by then are 'loaded'
--                    'missing'     windows no run has extracted yet (run or backfill fills them)
--   period_start, period_end  the period, UTC, [start, end)
--   windows          number of windows of the grid in the period
--   window_seconds   the cloud's window length
DROP VIEW IF EXISTS report.coverage;
CREATE VIEW report.coverage AS
SELECT c.cloud_key                              AS cloud,
       k.scope,
       p.name                                   AS project_name,
       k.status,
       lower(k.period)                          AS period_start,
       upper(k.period)                          AS period_end,
       (extract(epoch FROM upper(k.period) - lower(k.period)) / c.window_seconds)::bigint AS windows,
       c.window_seconds
FROM (
    SELECT s.cloud_id, s.scope, x.status, x.period
    FROM (
        SELECT r.cloud_id,
               r.scope,
               -- a provisional range's windows that had closed when Nova answered (before the window
               -- holding its stop) were stored as final facts: they are loaded, only the rest is provisional
               coalesce(range_agg(tstzrange(r.range_start, CASE WHEN r.provisional THEN r.closed_until
                                                                ELSE r.range_end END)),
                        '{}'::tstzmultirange) AS loaded,
               coalesce(range_agg(tstzrange(r.closed_until, r.range_end)) FILTER (WHERE r.provisional),
                        '{}'::tstzmultirange) AS provisional,
               -- the span in which a window not loaded is missing: from the billing start (else the first
               -- extracted window) to the window open now
               tstzmultirange(tstzrange(coalesce(max(g.billing_start), min(r.range_start)),
                                        greatest(max(r.range_end), max(g.open_window_start),
                                                 max(g.billing_start)))) AS span
        FROM (SELECT x.*,
                     greatest(x.range_start, to_timestamp(floor(extract(epoch FROM x.stop) / cl.window_seconds)
                                                          * cl.window_seconds)) AS closed_until
              FROM metrics.extracted_range x
              JOIN metrics.cloud cl ON cl.cloud_id = x.cloud_id) r
        JOIN (SELECT cl.cloud_id,
                     cl.billing_start,
                     to_timestamp(floor(extract(epoch FROM now()) / cl.window_seconds) * cl.window_seconds)
                         AS open_window_start
              FROM metrics.cloud cl) g ON g.cloud_id = r.cloud_id
        GROUP BY r.cloud_id, r.scope) s
    CROSS JOIN LATERAL (
        SELECT 'loaded' AS status, unnest(s.loaded) AS period
        UNION ALL
        SELECT 'provisional', unnest(s.provisional - s.loaded)
        UNION ALL
        SELECT 'missing', unnest(s.span - s.loaded - s.provisional)) x
) k
JOIN metrics.cloud c ON c.cloud_id = k.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = k.cloud_id AND p.project_id = k.scope;

COMMENT ON VIEW report.coverage IS
    'Per cloud and scope, contiguous periods of windows with status loaded, provisional or missing.';
GRANT SELECT ON report.coverage TO os_metrics_reader;

-- report.server_usage_by_state: in which states did each server spend the hours Nova counted? (issue #15;
-- README, "Usage as it ran"). Filter on window_start (or window_end) to read only the partitions needed.
--
-- One row per usage fact (server and window, Nova's hours as loaded) and state the server was in during the
-- fact's counted time, from the server's timeline (metrics.server_interval, built from Nova's instance actions).
-- A fact's counted time is the last `hours` of its window before the server ended (Nova counts from launched_at
-- to terminated_at, or to the extraction's stop while the window is open): [end - hours, end) with
-- end = least(window_end, ended_at, last_seen). Its hours are divided among the states in proportion to the
-- seconds of each, exactly: the shares of a fact are differences of one cumulative rounding, so they add up to
-- the fact's hours to the last digit, whatever the states (and so do the vCPU, RAM and disk hours, each the share
-- times the fact's size, as report.invoice_monthly counts them).
-- Time no interval covers (no timeline loaded, or before its first action) is counted as Nova counts it, running:
-- vm_state 'active', state_known false. Without any timeline every fact is one such row: the same numbers as
-- report.server_usage and report.invoice_monthly.
-- Cost: two index probes of the server's intervals per fact (the interval in force at the start of its counted
-- time, the next one's start), the division only for facts within which the state changes: about 10 s per
-- 300,000 facts on a busy test server, against 0.3 s for report.server_usage. Filter on window_start.
-- Recovered rows (recovered true) are hours Nova dropped when launched_at was reset (metrics.recovered_usage),
-- only for windows where os-metrics holds no fact of the server: never on top of Nova's hours.
--
--   cloud_id, cloud_key          the cloud
--   window_start, window_end     the window of the grid, UTC, [start, end)
--   instance_id, project_id      the server and the project its fact (or recovered hours) belongs to
--   flavor                       the flavor Nova reported for the window (for recovered rows: the timeline's)
--   vcpus, memory_mb, local_gb   the sizes of that flavor
--   vm_state                     Nova's vm_state name: active, stopped, paused, suspended, shelved,
--                                shelved_offloaded, rescued, resized, soft-delete, error, building, deleted
--   state_known                  false where no interval covers the time (vm_state then 'active', as Nova counts)
--   flavor_as_run                the flavor the timeline says was in force (null: not known), may differ from
--                                flavor after a resize (Nova reports the flavor a server has now for every hour)
--   recovered                    true: hours Nova dropped, recovered from the timeline (not in Nova's totals)
--   hours, vcpu_hours, memory_mb_hours, local_gb_hours   numeric; per fact their sum over states equals
--                                the fact (hours taken as numeric, times vcpus, memory_mb, local_gb)
--   provisional                  the fact's window was still open when extracted
--   cloud                        the cloud key again, under the name every report view gives it (export --cloud)
-- CREATE OR REPLACE, not DROP: views of other files are built on this one (report.usage_billable); a change
-- here may only add columns at the end.
CREATE OR REPLACE VIEW report.server_usage_by_state AS
SELECT f.cloud_id,
       c.cloud_key,
       f.window_start,
       f.window_end,
       f.instance_id,
       f.project_id,
       fl.name                      AS flavor,
       f.vcpus,
       f.memory_mb,
       f.local_gb,
       p.vm_state,
       p.state_known,
       afl.name                     AS flavor_as_run,
       false                        AS recovered,
       trim_scale(p.share)          AS hours,
       trim_scale(p.share * f.vcpus)     AS vcpu_hours,
       trim_scale(p.share * f.memory_mb) AS memory_mb_hours,
       trim_scale(p.share * f.local_gb)  AS local_gb_hours,
       f.provisional,
       c.cloud_key                  AS cloud
FROM metrics.usage_fact f
JOIN metrics.cloud c ON c.cloud_id = f.cloud_id
JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
JOIN metrics.server s ON s.cloud_id = f.cloud_id AND s.instance_id = f.instance_id
CROSS JOIN LATERAL (
    SELECT e.span_end - make_interval(secs => f.hours * 3600) AS span_from, e.span_end,
           f.hours::numeric AS total_hours
    FROM (SELECT least(f.window_end, coalesce(s.ended_at, 'infinity'), s.last_seen) AS span_end) e) r
CROSS JOIN LATERAL (
    SELECT greatest(f.window_start, least(r.span_from, r.span_end)) AS span_start, r.span_end) sp
-- the interval in force at the start of the counted time (it may have ended before), and the next one's start:
-- one index probe each, enough to tell the common cases (no interval, or one covering the whole time) at once
LEFT JOIN LATERAL (SELECT i.valid_from, i.valid_to, i.vm_state, i.flavor_id
                   FROM metrics.server_interval i
                   WHERE i.cloud_id = f.cloud_id AND i.instance_id = f.instance_id AND i.valid_from <= sp.span_start
                   ORDER BY i.valid_from DESC LIMIT 1) a ON true
LEFT JOIN LATERAL (SELECT i.valid_from
                   FROM metrics.server_interval i
                   WHERE i.cloud_id = f.cloud_id AND i.instance_id = f.instance_id AND i.valid_from > sp.span_start
                   ORDER BY i.valid_from LIMIT 1) b ON true
CROSS JOIN LATERAL (
    SELECT coalesce(a.valid_from < sp.span_end AND (a.valid_to IS NULL OR a.valid_to > sp.span_start), false) AS a_meets,
           coalesce(a.valid_to IS NULL OR a.valid_to >= sp.span_end, false) AS a_covers,
           coalesce(b.valid_from < sp.span_end, false) AS b_meets) k
CROSS JOIN LATERAL (
    -- no interval meets the counted time (no timeline): one row, as Nova counts it
    SELECT 'active'::text AS vm_state, false AS state_known, NULL::integer AS flavor_id, r.total_hours AS share
    WHERE NOT k.a_meets AND NOT k.b_meets
    UNION ALL
    -- one interval covers it whole: one row in its state
    SELECT a.vm_state, true, a.flavor_id, r.total_hours
    WHERE k.a_meets AND k.a_covers
    UNION ALL
    -- else (a change of state, or the timeline's start, within it): its hours divided among the intervals, and the
    -- rest no interval covers
    SELECT q.vm_state, q.state_known, q.flavor_id, q.share
    FROM (SELECT x.vm_state, x.state_known, x.flavor_id,
               (CASE WHEN x.rn = x.cnt THEN r.total_hours ELSE round(r.total_hours * x.cum / x.total, 20) END)
             - (CASE WHEN x.rn = 1 THEN 0 ELSE round(r.total_hours * (x.cum - x.secs) / x.total, 20) END) AS share
        FROM (SELECT y.*,
                     sum(y.secs) OVER (ORDER BY y.state_known DESC, y.vm_state, y.flavor_id NULLS LAST
                                       ROWS UNBOUNDED PRECEDING) AS cum,
                     sum(y.secs) OVER () AS total,
                     row_number() OVER (ORDER BY y.state_known DESC, y.vm_state, y.flavor_id NULLS LAST) AS rn,
                     count(*) OVER () AS cnt
              FROM (
                  -- the seconds of the counted time in each state (and flavor) the timeline gives
                  SELECT i.vm_state, true AS state_known, i.flavor_id,
                         sum(extract(epoch FROM least(sp.span_end, coalesce(i.valid_to, 'infinity'))
                                              - greatest(sp.span_start, i.valid_from))::numeric) AS secs
                  FROM metrics.server_interval i
                  WHERE i.cloud_id = f.cloud_id AND i.instance_id = f.instance_id
                    AND i.valid_from < sp.span_end AND (i.valid_to IS NULL OR i.valid_to > sp.span_start)
                  GROUP BY i.vm_state, i.flavor_id
                  UNION ALL
                  -- and the rest, which no interval covers: counted as Nova counts it (the whole fact without timeline)
                  SELECT 'active', false, NULL::integer, greatest(0, u.span_secs - u.covered)
                  FROM (SELECT extract(epoch FROM sp.span_end - sp.span_start)::numeric AS span_secs,
                               coalesce(sum(extract(epoch FROM least(sp.span_end, coalesce(i.valid_to, 'infinity'))
                                                     - greatest(sp.span_start, i.valid_from))::numeric), 0) AS covered,
                               count(i.valid_from) AS pieces
                        FROM metrics.server_interval i
                        WHERE i.cloud_id = f.cloud_id AND i.instance_id = f.instance_id
                          AND i.valid_from < sp.span_end AND (i.valid_to IS NULL OR i.valid_to > sp.span_start)) u
                  WHERE u.span_secs > u.covered OR u.pieces = 0) y) x) q
    WHERE (k.a_meets OR k.b_meets) AND NOT (k.a_meets AND k.a_covers)) p
LEFT JOIN metrics.flavor afl ON afl.flavor_id = p.flavor_id
UNION ALL
SELECT ru.cloud_id,
       c.cloud_key,
       ru.window_start,
       ru.window_end,
       ru.instance_id,
       ru.project_id,
       fl.name,
       ru.vcpus,
       ru.memory_mb,
       ru.local_gb,
       ru.vm_state,
       true,
       fl.name,
       true,
       trim_scale(ru.hours),
       trim_scale(ru.hours * ru.vcpus),
       trim_scale(ru.hours * ru.memory_mb),
       trim_scale(ru.hours * ru.local_gb),
       false,
       c.cloud_key
FROM metrics.recovered_usage ru
JOIN metrics.cloud c ON c.cloud_id = ru.cloud_id
JOIN metrics.flavor fl ON fl.flavor_id = ru.flavor_id
-- never on top of a recorded fact (a later load may have brought the window's fact)
WHERE NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                  WHERE f.cloud_id = ru.cloud_id AND f.window_start = ru.window_start AND f.instance_id = ru.instance_id);

COMMENT ON VIEW report.server_usage_by_state IS
    'Per usage fact and vm_state the server was in (from its timeline): the fact''s hours divided exactly among its states; recovered rows are hours Nova dropped.';
GRANT SELECT ON report.server_usage_by_state TO os_metrics_reader;

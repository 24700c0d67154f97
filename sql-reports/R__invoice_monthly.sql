-- report.invoice_monthly: what does each project owe for a month, line by line? Months are cut in the cloud's billing
-- time zone (`clouds set KEY --time-zone`, default UTC; windows stay UTC): a Europe/Madrid October is
-- [2026-09-30 22:00Z, 2026-10-31 23:00Z).
-- One row per cloud, project, month, resource (or priced flavor) and price in force: quantity x unit
-- price from the rate card (metrics.rate_card, `os-metrics rates import`). Filter on month or
-- month_start: only that month's rows of metrics.usage_rollup (the facts counted per window, project, flavor
-- and hours value) are read, not the facts themselves.
--
-- Pricing, piecewise: each window of usage is priced by the rates in force at its window_start, so a
-- month that spans a price change has one line per price. For a server whose flavor has a flavor_hour
-- price in force, its server-hours are priced by that flavor price INSTEAD of the per-resource prices.
-- Quantities are exact decimals: each window's hours (a double) is taken as numeric (15 significant
-- digits); vcpu = hours x vcpus, ram = hours x memory_mb / 1024 (GiB), disk = hours x local_gb.
-- Rounding, once: amount = round(quantity x unit_price, minor units of the currency), half up (halves
-- away from zero; amounts are never negative); quantities and unit prices are never rounded. A project's
-- total for a month is the sum of its line amounts (per currency). Usage with no price in force is
-- listed with a null unit_price and amount, so that nothing is silently left off.
--
--   cloud, project_id, project_name  who is billed (project_name null when unknown)
--   month, month_start, month_end    'YYYY-MM' (in the cloud's time zone) and the month as instants, [start, end)
--   resource     vcpu_hour, ram_gb_hour, disk_gb_hour or flavor_hour
--   flavor       the flavor name for a flavor_hour line, else null
--   unit         vCPU-hour, GiB-hour (RAM), GB-hour (disk), server-hour (flavor)
--   quantity     units used in the month while this price was in force (exact)
--   unit_price   the rate card price (null: no price in force)
--   currency     ISO 4217 code of the price
--   price_valid_from, price_valid_to  the validity of the price applied (to null: open-ended)
--   amount       round(quantity x unit_price, minor units), numeric
--   provisional  true when any window priced here was still open when extracted
--   completeness the month's status for the project (report.completeness): complete, provisional, incomplete or
--                not_expected. Only a complete month is final: `os-metrics invoice` and exports of this view
--                refuse any other unless --allow-incomplete
--   billing_policy  the version of the cloud's billing policy applied (metrics.billing_policy, `os-metrics policy
--                import`): its file and validity, 'billing-policy.csv [2020-01-01T00:00:00Z, open)'; null when none
--                was in force (Nova's view: everything billed in every state, recovered hours not billed)
--
-- Billable quantities (README, "Billing policy"): where a version of the cloud's billing policy is in force at a
-- window's start, the quantities are those it bills: the hours a server spent in a state whose resource the
-- version does not bill are taken off (report.server_usage_by_state splits each fact's hours among the states
-- exactly), and recovered hours (hours Nova dropped) are added where the version bills them. The month is also
-- cut where a version starts or ends, so a line is priced and billed under one price and one version. With no
-- version in force nothing is taken off or added: the quantities are Nova's, to the last digit.

-- The quantities a version of the billing policy changes in [p_from, p_to) of a cloud, per project and flavor:
-- minus the hours in states whose resources it does not bill, plus the recovered hours it bills. p_lines: the
-- version's lines (vm_state and its flags, as jsonb), read by report.invoice_monthly (the caller cuts at versions'
-- bounds); p_ids: the only servers that can change anything (those that spent time in a state the version does not
-- bill in full, or have recovered hours it bills), or null for every server (the version bills 'active' in part).
-- PL/pgSQL so that the view it reads (report.server_usage_by_state, applied after this file) is looked up when
-- called. It reads nothing but that report view, with the rights and the per-project access rule of whoever reads
-- report.invoice_monthly (a function called from a view runs as the querier): a tenant gets only its projects.
DROP VIEW IF EXISTS report.invoice_monthly;
DROP FUNCTION IF EXISTS report.billing_policy_adjustment(integer, timestamptz, timestamptz);
CREATE OR REPLACE FUNCTION report.billing_policy_adjustment(p_cloud_id integer, p_from timestamptz, p_to timestamptz,
                                                            p_lines jsonb, p_ids uuid[])
    RETURNS TABLE (project_id text, flavor text, hours numeric, vcpu_hours numeric, ram_gb_hours numeric,
                   disk_gb_hours numeric)
    LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF p_lines IS NULL OR cardinality(p_ids) = 0 THEN
        RETURN;                                         -- no version in force, or no server it changes
    END IF;
    -- per row, a resource's hours count when the version's flag for it equals the row's recovered flag: a fact's
    -- hours (recovered false) are taken off where the resource is not billed, recovered hours added where it is
    RETURN QUERY
    SELECT s.project_id,
           s.flavor::text,
           sum(CASE WHEN s.recovered THEN s.hours ELSE -s.hours END
               * CASE WHEN l.flavor_hour = s.recovered THEN 1 ELSE 0 END),
           sum(CASE WHEN s.recovered THEN s.vcpu_hours ELSE -s.vcpu_hours END
               * CASE WHEN l.vcpu_hour = s.recovered THEN 1 ELSE 0 END),
           sum(CASE WHEN s.recovered THEN s.memory_mb_hours ELSE -s.memory_mb_hours END
               * CASE WHEN l.ram_gb_hour = s.recovered THEN 1 ELSE 0 END) * 0.0009765625,
           sum(CASE WHEN s.recovered THEN s.local_gb_hours ELSE -s.local_gb_hours END
               * CASE WHEN l.disk_gb_hour = s.recovered THEN 1 ELSE 0 END)
    FROM jsonb_to_recordset(p_lines) AS l(vm_state text, vcpu_hour boolean, ram_gb_hour boolean, disk_gb_hour boolean,
                                          flavor_hour boolean, recovered boolean)
    JOIN report.server_usage_by_state s
      ON s.vm_state = l.vm_state AND s.cloud_id = p_cloud_id
     AND s.window_start >= p_from AND s.window_start < p_to
    WHERE (p_ids IS NULL OR s.instance_id = ANY (p_ids))
      -- a fact's hours in a state billed in full, and recovered hours the version does not bill, change nothing
      AND CASE WHEN s.recovered THEN l.recovered
               ELSE NOT (l.vcpu_hour AND l.ram_gb_hour AND l.disk_gb_hour AND l.flavor_hour) END
    GROUP BY s.project_id, s.flavor;
END
$$;

CREATE VIEW report.invoice_monthly AS
SELECT c.cloud_key                                          AS cloud,
       l.project_id,
       p.name                                               AS project_name,
       to_char(m.month_local, 'YYYY-MM')                   AS month,
       m.month_start,
       m.month_end,
       l.resource,
       l.flavor,
       CASE l.resource
           WHEN 'vcpu_hour' THEN 'vCPU-hour'
           WHEN 'ram_gb_hour' THEN 'GiB-hour'
           WHEN 'disk_gb_hour' THEN 'GB-hour'
           ELSE 'server-hour'
       END                                                  AS unit,
       l.quantity,
       r.unit_price,
       r.currency,
       r.valid_from                                         AS price_valid_from,
       r.valid_to                                           AS price_valid_to,
       round(l.quantity * r.unit_price, r.minor_units)      AS amount,
       l.provisional,
       pc.status                                            AS completeness,
       l.billing_policy
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    SELECT u.cloud_id, u.project_id, q.resource, q.flavor, q.rate_id, pv.billing_policy,
           trim_scale(sum(q.quantity)) AS quantity,
           bool_or(q.provisional) AS provisional
    FROM (
        -- the month cut where any price starts or ends: within a segment the prices in force are constant
        SELECT b.segment_start,
               coalesce(lead(b.segment_start) OVER (ORDER BY b.segment_start), m.month_end) AS segment_end
        FROM (SELECT m.month_start AS segment_start
              UNION
              SELECT t.boundary
              FROM metrics.rate_card rc
              CROSS JOIN LATERAL (VALUES (rc.valid_from), (rc.valid_to)) AS t(boundary)
              WHERE t.boundary > m.month_start AND t.boundary < m.month_end
              UNION
              -- and where a version of the cloud's billing policy starts or ends
              SELECT t.boundary
              FROM metrics.billing_policy bp
              CROSS JOIN LATERAL (VALUES (bp.valid_from), (bp.valid_to)) AS t(boundary)
              WHERE bp.cloud_id = m.cloud_id AND t.boundary > m.month_start AND t.boundary < m.month_end) b) seg
    -- the version of the billing policy in force in the segment, if any: its name, its lines, and the servers it
    -- can change (read here, with the view's rights and the querier's per-project access rule)
    LEFT JOIN LATERAL (
        SELECT v.billing_policy, v.lines,
               CASE WHEN v.active_in_part THEN NULL ELSE (
                   SELECT coalesce(array_agg(DISTINCT x.instance_id), '{}')
                   FROM (SELECT i.instance_id
                         FROM metrics.server_interval i
                         JOIN metrics.billing_policy l
                           ON l.cloud_id = i.cloud_id AND l.vm_state = i.vm_state
                          AND l.valid_from <= seg.segment_start
                          AND (l.valid_to IS NULL OR l.valid_to > seg.segment_start)
                          AND NOT (l.vcpu_hour AND l.ram_gb_hour AND l.disk_gb_hour AND l.flavor_hour)
                         -- a window that starts in the segment may end up to a day after it
                         WHERE i.cloud_id = m.cloud_id AND i.valid_from < seg.segment_end + interval '1 day'
                           AND (i.valid_to IS NULL OR i.valid_to > seg.segment_start)
                         UNION
                         SELECT r.instance_id
                         FROM metrics.recovered_usage r
                         JOIN metrics.billing_policy l
                           ON l.cloud_id = r.cloud_id AND l.vm_state = r.vm_state AND l.recovered
                          AND l.valid_from <= seg.segment_start
                          AND (l.valid_to IS NULL OR l.valid_to > seg.segment_start)
                         WHERE r.cloud_id = m.cloud_id AND r.window_start >= seg.segment_start
                           AND r.window_start < seg.segment_end) x)
               END AS ids
        FROM (SELECT min(bp.policy_name || ' ['
                         || to_char(bp.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', '
                         || coalesce(to_char(bp.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'open')
                         || ')') AS billing_policy,
                     jsonb_agg(jsonb_build_object('vm_state', bp.vm_state, 'vcpu_hour', bp.vcpu_hour,
                                                  'ram_gb_hour', bp.ram_gb_hour, 'disk_gb_hour', bp.disk_gb_hour,
                                                  'flavor_hour', bp.flavor_hour, 'recovered', bp.recovered)) AS lines,
                     bool_or(bp.vm_state = 'active'
                             AND NOT (bp.vcpu_hour AND bp.ram_gb_hour AND bp.disk_gb_hour AND bp.flavor_hour))
                         AS active_in_part
              FROM metrics.billing_policy bp
              WHERE bp.cloud_id = m.cloud_id AND bp.valid_from <= seg.segment_start
                AND (bp.valid_to IS NULL OR bp.valid_to > seg.segment_start)
              HAVING count(*) > 0) v) pv ON true
    CROSS JOIN LATERAL (
        -- one segment at a time, read through the key of metrics.usage_rollup (window first)
        -- the facts counted per flavor, sizes and hours value (the rollup the loads keep: most windows hold the
        -- same hours), then the exact numeric sums over those few groups, n times each: the same numbers to the
        -- last digit as summing every fact row, without reading one
        SELECT g.cloud_id,
               g.project_id,
               fl.name                                                  AS flavor_name,
               sum(g.hours::numeric * g.n)                              AS hours,
               trim_scale(sum(g.hours::numeric * g.vcpus * g.n))        AS vcpu_hours,
               trim_scale(sum(g.hours::numeric * g.memory_mb * g.n) * 0.0009765625) AS ram_gb_hours,
               trim_scale(sum(g.hours::numeric * g.local_gb * g.n))     AS disk_gb_hours,
               bool_or(g.provisional)                                   AS provisional
        FROM (SELECT f.cloud_id, f.project_id, f.flavor_id, f.vcpus, f.memory_mb, f.local_gb, f.hours,
                     sum(f.facts) AS n, bool_or(f.provisional) AS provisional
              FROM metrics.usage_rollup f
              WHERE f.window_start >= seg.segment_start AND f.window_start < seg.segment_end
                AND f.cloud_id = m.cloud_id
              GROUP BY f.cloud_id, f.project_id, f.flavor_id, f.vcpus, f.memory_mb, f.local_gb, f.hours) g
        JOIN metrics.flavor fl ON fl.flavor_id = g.flavor_id
        GROUP BY g.cloud_id, g.project_id, g.flavor_id, fl.name
        UNION ALL
        -- what the billing policy in force takes off or adds (nothing without one)
        SELECT m.cloud_id, a.project_id, a.flavor, a.hours, a.vcpu_hours, a.ram_gb_hours, a.disk_gb_hours, false
        FROM report.billing_policy_adjustment(m.cloud_id, seg.segment_start, seg.segment_end, pv.lines, pv.ids) a
        WHERE pv.billing_policy IS NOT NULL) u
    LEFT JOIN metrics.rate_card fr
           ON fr.resource = 'flavor_hour' AND fr.flavor = u.flavor_name
          AND fr.valid_from <= seg.segment_start AND (fr.valid_to IS NULL OR fr.valid_to > seg.segment_start)
    CROSS JOIN LATERAL (
        SELECT 'flavor_hour' AS resource, u.flavor_name AS flavor, u.hours AS quantity, fr.rate_id,
               u.provisional
        WHERE fr.rate_id IS NOT NULL
        UNION ALL
        SELECT v.resource, NULL, v.quantity, rr.rate_id, u.provisional
        FROM (VALUES ('vcpu_hour', u.vcpu_hours),
                     ('ram_gb_hour', u.ram_gb_hours),
                     ('disk_gb_hour', u.disk_gb_hours)) AS v(resource, quantity)
        LEFT JOIN metrics.rate_card rr
               ON rr.resource = v.resource
              AND rr.valid_from <= seg.segment_start AND (rr.valid_to IS NULL OR rr.valid_to > seg.segment_start)
        WHERE fr.rate_id IS NULL) q
    GROUP BY u.cloud_id, u.project_id, q.resource, q.flavor, q.rate_id, pv.billing_policy
    HAVING sum(q.quantity) > 0) l
JOIN metrics.cloud c ON c.cloud_id = l.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = l.cloud_id AND p.project_id = l.project_id
LEFT JOIN metrics.rate_card r ON r.rate_id = l.rate_id
LEFT JOIN LATERAL report.period_completeness(l.cloud_id, l.project_id, m.month_start, m.month_end) pc ON true;

COMMENT ON VIEW report.invoice_monthly IS
    'Per cloud, project, month (billing time zone) and price in force: quantity x unit_price = amount (rounded once, half up, to the currency minor unit).';
GRANT SELECT ON report.invoice_monthly TO os_metrics_reader;

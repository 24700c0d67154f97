-- report.priced_usage: the usage of each server in a month, priced as report.invoice_monthly prices it: each window
-- by the rate card's prices in force at its window_start (the month is cut where a price starts or ends, and each
-- server's exact sums of a cut are priced once), a flavor_hour price in force replacing the vCPU, RAM and disk prices
-- of that flavor's servers. One row per cloud, month (the cloud's billing time zone), project, server,
-- resource (or priced flavor) and price (rate_id null: no price in force), with the exact quantity (hours x vcpus;
-- hours x memory_mb / 1024; hours x local_gb; or the flavor's server-hours). So a project's rows of one month,
-- resource and price add up to the quantity of its invoice_monthly line exactly.
-- report.focus and the rollups (customer_monthly, cost_centre_monthly, domain_monthly) read it. Filter on month or
-- month_start: only that month's partition of the fact table is read.
-- Those views depend on it: it is replaced in place (CREATE OR REPLACE), so a change may add columns at the end
-- only; anything else needs DROP VIEW report.priced_usage CASCADE and touching the files of the views that use it.
--
--   cloud, project_id, instance_id   the server's cloud (key), project and id
--   month, month_start, month_end    'YYYY-MM' and the month as instants, [start, end)
--   resource, flavor                 vcpu_hour, ram_gb_hour, disk_gb_hour, or flavor_hour with the flavor's name
--   rate_id                          the price applied (metrics.rate_card), null when none was in force
--   quantity                         units used in the month while that price was in force (exact)
--   provisional                      true when any window of it was still open when extracted
CREATE OR REPLACE VIEW report.priced_usage AS
SELECT c.cloud_key                              AS cloud,
       to_char(m.month_local, 'YYYY-MM')        AS month,
       m.month_start,
       m.month_end,
       s.project_id,
       s.instance_id,
       s.resource,
       s.flavor,
       s.rate_id,
       s.quantity,
       s.provisional
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    SELECT u.project_id, u.instance_id, q.resource, q.flavor, q.rate_id, trim_scale(sum(q.quantity)) AS quantity,
           bool_or(u.provisional) AS provisional
    FROM (
        -- the month cut where any price starts or ends: within a segment the prices in force are constant
        SELECT b.segment_start,
               coalesce(lead(b.segment_start) OVER (ORDER BY b.segment_start), m.month_end) AS segment_end
        FROM (SELECT m.month_start AS segment_start
              UNION
              SELECT t.boundary
              FROM metrics.rate_card rc
              CROSS JOIN LATERAL (VALUES (rc.valid_from), (rc.valid_to)) AS t(boundary)
              WHERE t.boundary > m.month_start AND t.boundary < m.month_end) b) seg
    CROSS JOIN LATERAL (
        -- each server's exact sums per flavor in the segment, priced once below (not window by window)
        SELECT f.project_id, f.instance_id, f.flavor_id,
               sum(f.hours::numeric)                              AS hours,
               sum(f.hours::numeric * f.vcpus)                    AS vcpu_hours,
               sum(f.hours::numeric * f.memory_mb) * 0.0009765625 AS ram_gb_hours,
               sum(f.hours::numeric * f.local_gb)                 AS disk_gb_hours,
               bool_or(f.provisional)                             AS provisional
        FROM metrics.usage_fact f
        WHERE f.cloud_id = m.cloud_id AND f.window_start >= seg.segment_start AND f.window_start < seg.segment_end
        GROUP BY f.project_id, f.instance_id, f.flavor_id) u
    JOIN metrics.flavor fl ON fl.flavor_id = u.flavor_id
    LEFT JOIN metrics.rate_card fr
           ON fr.resource = 'flavor_hour' AND fr.flavor = fl.name
          AND fr.valid_from <= seg.segment_start AND (fr.valid_to IS NULL OR fr.valid_to > seg.segment_start)
    CROSS JOIN LATERAL (
        SELECT 'flavor_hour' AS resource, fl.name AS flavor, u.hours AS quantity, fr.rate_id
        WHERE fr.rate_id IS NOT NULL
        UNION ALL
        SELECT v.resource, NULL, v.quantity, rr.rate_id
        FROM (VALUES ('vcpu_hour', u.vcpu_hours),
                     ('ram_gb_hour', u.ram_gb_hours),
                     ('disk_gb_hour', u.disk_gb_hours)) AS v(resource, quantity)
        LEFT JOIN metrics.rate_card rr
               ON rr.resource = v.resource
              AND rr.valid_from <= seg.segment_start AND (rr.valid_to IS NULL OR rr.valid_to > seg.segment_start)
        WHERE fr.rate_id IS NULL) q
    GROUP BY u.project_id, u.instance_id, q.resource, q.flavor, q.rate_id
    HAVING sum(q.quantity) > 0) s
JOIN metrics.cloud c ON c.cloud_id = m.cloud_id;

COMMENT ON VIEW report.priced_usage IS
    'Per cloud, (billing time zone) month, project, server, resource and price in force: the exact quantity.';
GRANT SELECT ON report.priced_usage TO os_metrics_reader;

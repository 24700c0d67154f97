-- report.cost_centre_monthly: how much did each cost centre use and cost in a month? One row per cloud, month (the cloud's billing time zone, as
-- report.project_usage_monthly and report.invoice_monthly cut it) and cost centre (of the projects' customers, `customers import`) that had usage, and per currency of
-- its priced usage. Filter on month or month_start: only that month's partition of the fact table is read.
-- Projects with no customer, or whose customer has no cost centre, make one row whose cost_centre is null.
-- Usage is summed exactly as in report.project_usage_monthly; cost is the sum of the amounts of report.invoice_monthly's
-- lines of these projects (each line rounded once, then added: report.priced_usage prices the usage the same way).
-- A month whose priced usage is in two currencies (a rate card that changed currency) has a row per currency, each
-- with the whole usage; a group with no priced usage has one row, currency and amount null.
-- A tenant (os_metrics_tenant) sees no row: a rollup mixes projects (README "Access"); finance, the loader and the
-- owner see all. security_barrier keeps a querier's own conditions from running before that test.
--
--   cloud, month, month_start, month_end   the cloud's key, 'YYYY-MM' and the month as instants, [start, end)
--   cost_centre       the customers' cost centre (null: none)
--   projects          projects with usage in the month
--   vcpu_hours, ram_gb_hours, disk_gb_hours, server_hours   summed over those projects (exact decimals)
--   server_count      distinct servers with usage
--   currency, amount  the priced usage's currency and the sum of its invoice lines' amounts (null: nothing priced)
--   unpriced_lines    invoice lines of these projects with no price in force (listed in invoice_monthly, not in amount)
--   provisional       true when any window of it was still open when extracted
DROP VIEW IF EXISTS report.cost_centre_monthly;
CREATE VIEW report.cost_centre_monthly WITH (security_barrier = true) AS
SELECT c.cloud_key                              AS cloud,
       to_char(m.month_local, 'YYYY-MM')        AS month,
       m.month_start,
       m.month_end,
       r.key1                                   AS cost_centre,
       r.projects,
       r.vcpu_hours,
       r.ram_gb_hours,
       r.disk_gb_hours,
       r.server_hours,
       r.server_count,
       r.currency,
       r.amount,
       r.unpriced_lines,
       r.provisional
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    WITH usage AS (
        -- per project, as report.project_usage_monthly (from the rollup and the server days)
        SELECT u.project_id, u.vcpu_hours, u.ram_gb_hours, u.disk_gb_hours, u.server_hours, u.servers, u.provisional
        FROM metrics.project_month_usage u
        WHERE u.cloud_id = m.cloud_id AND u.month_start = m.month_start),
    line AS (
        -- per project, resource and price: report.invoice_monthly's lines
        SELECT s.project_id, s.rate_id, sum(s.quantity) AS quantity
        FROM report.priced_usage s
        WHERE s.cloud = (SELECT cloud_key FROM metrics.cloud WHERE cloud_id = m.cloud_id) AND s.month_start = m.month_start
        GROUP BY s.project_id, s.resource, s.flavor, s.rate_id),
    who AS (
        SELECT u.*, cu.cost_centre AS key1, CAST(NULL AS text) AS key2
        FROM usage u
        LEFT JOIN metrics.project_customer pc ON pc.project_id = u.project_id
        LEFT JOIN metrics.customer cu ON cu.customer_id = pc.customer_id
    ),
    cost AS (
        SELECT w.key1, w.key2, rc.currency, sum(round(l.quantity * rc.unit_price, rc.minor_units)) AS amount
        FROM line l
        JOIN metrics.rate_card rc ON rc.rate_id = l.rate_id
        JOIN who w ON w.project_id = l.project_id
        GROUP BY w.key1, w.key2, rc.currency),
    totals AS (
        SELECT w.key1, w.key2,
               count(*)                                                      AS projects,
               trim_scale(sum(w.vcpu_hours))                                 AS vcpu_hours,
               trim_scale(sum(w.ram_gb_hours))                               AS ram_gb_hours,
               trim_scale(sum(w.disk_gb_hours))                              AS disk_gb_hours,
               trim_scale(sum(w.server_hours))                               AS server_hours,
               (SELECT count(DISTINCT s) FROM who w2 CROSS JOIN LATERAL unnest(w2.servers) s
                WHERE w2.key1 IS NOT DISTINCT FROM w.key1 AND w2.key2 IS NOT DISTINCT FROM w.key2) AS server_count,
               (SELECT count(*) FROM line l JOIN who w3 ON w3.project_id = l.project_id
                WHERE l.rate_id IS NULL AND w3.key1 IS NOT DISTINCT FROM w.key1
                  AND w3.key2 IS NOT DISTINCT FROM w.key2)                   AS unpriced_lines,
               bool_or(w.provisional)                                        AS provisional
        FROM who w
        GROUP BY w.key1, w.key2)
    SELECT t.key1, t.key2, t.projects, t.vcpu_hours, t.ram_gb_hours, t.disk_gb_hours, t.server_hours, t.server_count,
           k.currency, k.amount, t.unpriced_lines, t.provisional
    FROM totals t
    LEFT JOIN cost k ON k.key1 IS NOT DISTINCT FROM t.key1 AND k.key2 IS NOT DISTINCT FROM t.key2) r
JOIN metrics.cloud c ON c.cloud_id = m.cloud_id
WHERE (SELECT pg_has_role(current_user, 'os_metrics_reader', 'USAGE') OR has_schema_privilege(current_user, 'metrics', 'USAGE'));

COMMENT ON VIEW report.cost_centre_monthly IS
    'Per cloud, (billing time zone) month and cost centre: usage and the invoice lines'' amounts, per currency.';
GRANT SELECT ON report.cost_centre_monthly TO os_metrics_reader;

-- report.priced_usage(cloud_id, start, end): the usage of one cloud's windows starting in [start, end), server by
-- server, priced as report.invoice_monthly prices it: each window by the rate card's prices in force at its
-- window_start, a flavor_hour price in force replacing the vCPU, RAM and disk prices of that flavor's servers.
-- One row per project, server, resource (or priced flavor) and price (rate_id null: no price in force), with the
-- exact quantity (hours x vcpus; hours x memory_mb / 1024; hours x local_gb; or the flavor's server-hours). So a
-- project's rows of one resource and price add up to the quantity of its invoice line exactly.
-- report.focus and the monthly rollups (customer_monthly, cost_centre_monthly, domain_monthly) read it; it runs with
-- the rights of whoever queries them, so a tenant gets its own projects' rows only (row-level security, "Access").
-- A SQL function PostgreSQL inlines into the query: partitions outside [start, end) are pruned. Changing its result
-- columns needs DROP FUNCTION ... CASCADE and re-creating the views that use it.
CREATE OR REPLACE FUNCTION report.priced_usage(p_cloud_id integer, p_start timestamptz, p_end timestamptz)
    RETURNS TABLE (project_id text, instance_id uuid, resource text, flavor text, rate_id bigint, quantity numeric,
                   provisional boolean)
    LANGUAGE sql STABLE
AS $$
SELECT f.project_id, f.instance_id, q.resource, q.flavor, q.rate_id, trim_scale(sum(q.quantity)), bool_or(f.provisional)
FROM metrics.usage_fact f
JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
LEFT JOIN metrics.rate_card fr
       ON fr.resource = 'flavor_hour' AND fr.flavor = fl.name
      AND fr.valid_from <= f.window_start AND (fr.valid_to IS NULL OR fr.valid_to > f.window_start)
CROSS JOIN LATERAL (
    SELECT 'flavor_hour' AS resource, fl.name AS flavor, f.hours::numeric AS quantity, fr.rate_id
    WHERE fr.rate_id IS NOT NULL
    UNION ALL
    SELECT v.resource, NULL, v.quantity, rr.rate_id
    FROM (VALUES ('vcpu_hour', f.hours::numeric * f.vcpus),
                 ('ram_gb_hour', f.hours::numeric * f.memory_mb * 0.0009765625),
                 ('disk_gb_hour', f.hours::numeric * f.local_gb)) AS v(resource, quantity)
    LEFT JOIN metrics.rate_card rr
           ON rr.resource = v.resource
          AND rr.valid_from <= f.window_start AND (rr.valid_to IS NULL OR rr.valid_to > f.window_start)
    WHERE fr.rate_id IS NULL) q
WHERE f.cloud_id = p_cloud_id AND f.window_start >= p_start AND f.window_start < p_end
GROUP BY f.project_id, f.instance_id, q.resource, q.flavor, q.rate_id
HAVING sum(q.quantity) > 0
$$;

COMMENT ON FUNCTION report.priced_usage(integer, timestamptz, timestamptz) IS
    'Per project, server, resource and price in force: the exact quantity of a cloud''s windows in [start, end).';
GRANT EXECUTE ON FUNCTION report.priced_usage(integer, timestamptz, timestamptz) TO os_metrics_reader, os_metrics_tenant;

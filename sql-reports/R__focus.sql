-- report.focus: priced usage in the FinOps Foundation's FOCUS format, version 1.1 (the FOCUS_Spec repository's
-- tag v1.1), for FinOps tools: `os-metrics export --report focus --format csv|jsonl`.
-- One row (a charge) per cloud, billing month (the cloud's billing time zone, as report.invoice_monthly), project,
-- server, resource (or priced flavor) and price in force, for the usage that has a price. Usage with no price in
-- force has no row (FOCUS needs a cost on every row): report.invoice_monthly lists it.
--
-- Pricing is invoice_monthly's, server by server (report.priced_usage): the PricingQuantity of a
-- project's rows of one invoice line add up to that line's quantity exactly.
--
--   BillingAccountId/Name   the customer invoiced for the project (customers import), else the project itself
--   SubAccountId/Name       the project (id, Keystone name)
--   ProviderName, PublisherName  the cloud (its key); InvoiceIssuerName the issuer of the invoice in force for the
--                           cloud, month and customer (`os-metrics invoice`), else the cloud's key
--   BillingPeriodStart/End  the billing month as instants, [start, end)
--   ChargePeriodStart/End   the part of that month in which the price applied was in force, [start, end)
--   ChargeCategory 'Usage', ChargeClass null (no corrections), ChargeFrequency 'Usage-Based'
--   ServiceCategory 'Compute', ServiceSubcategory 'Virtual Machines', ServiceName 'OpenStack Compute'
--   ResourceId/Name/Type    the server (instance id, its name as last seen, 'Virtual Machine')
--   RegionId/Name           the region of the cloud's key (after its last '/'; null for a clouds.yaml name)
--   PricingUnit, ConsumedUnit  Core-Hours (vCPU), GiB-Hours (RAM), GB-Hours (disk), Instance-Hours (flavor)
--   PricingQuantity = ConsumedQuantity  the exact quantity (never rounded)
--   ListUnitPrice           the rate card's price; SkuId the resource (flavor_hour:NAME), SkuPriceId the price's id
--   ListCost = ContractedCost  ListUnitPrice x PricingQuantity, exact (no negotiated prices)
--   BilledCost = EffectiveCost  the invoice line's amount (rounded once, half up, to the currency's minor unit)
--                           shared among the line's servers: each gets its exact cost cut to the minor unit, and
--                           the units left go one each to the largest remainders (ties: instance id). The rows of an
--                           invoice line add up to its amount to the cent. Tax is on the invoice documents only.
DROP VIEW IF EXISTS report.focus;
CREATE VIEW report.focus AS
WITH line AS (
    SELECT c.cloud_id, s.month, s.month_start, s.month_end, s.project_id, s.instance_id, s.resource, s.flavor,
           s.rate_id, s.quantity
    FROM report.priced_usage s
    JOIN metrics.cloud c ON c.cloud_key = s.cloud
    WHERE s.rate_id IS NOT NULL
),
priced AS (
    SELECT l.*, r.unit_price, r.currency, r.minor_units, r.valid_from, r.valid_to,
           power(10::numeric, -r.minor_units)                                    AS minor_unit,
           trim_scale(l.quantity * r.unit_price)                                 AS list_cost,
           trunc(l.quantity * r.unit_price, r.minor_units)                       AS cut_cost,
           round(sum(l.quantity) OVER invoice_line * r.unit_price, r.minor_units)
               - sum(trunc(l.quantity * r.unit_price, r.minor_units)) OVER invoice_line AS left_over,
           row_number() OVER (PARTITION BY l.cloud_id, l.month_start, l.project_id, l.resource, l.flavor, l.rate_id
                              ORDER BY l.quantity * r.unit_price - trunc(l.quantity * r.unit_price, r.minor_units) DESC,
                                       l.instance_id) AS remainder_rank
    FROM line l
    JOIN metrics.rate_card r ON r.rate_id = l.rate_id
    WINDOW invoice_line AS (PARTITION BY l.cloud_id, l.month_start, l.project_id, l.resource, l.flavor, l.rate_id)
)
SELECT trim_scale(p.cut_cost + CASE WHEN p.remainder_rank * p.minor_unit <= p.left_over THEN p.minor_unit ELSE 0 END)
                                                                   AS "BilledCost",
       coalesce(cu.name, p.project_id)                             AS "BillingAccountId",
       coalesce(cu.name, pr.name)                                  AS "BillingAccountName",
       p.currency                                                  AS "BillingCurrency",
       p.month_end                                                 AS "BillingPeriodEnd",
       p.month_start                                               AS "BillingPeriodStart",
       'Usage'                                                     AS "ChargeCategory",
       CAST(NULL AS text)                                          AS "ChargeClass",
       CASE p.resource
           WHEN 'vcpu_hour' THEN 'vCPU hours'
           WHEN 'ram_gb_hour' THEN 'RAM GiB hours'
           WHEN 'disk_gb_hour' THEN 'disk GB hours'
           ELSE 'server hours of flavor ' || p.flavor
       END || ' at ' || p.unit_price || ' ' || p.currency          AS "ChargeDescription",
       'Usage-Based'                                               AS "ChargeFrequency",
       least(p.month_end, p.valid_to)                              AS "ChargePeriodEnd",
       greatest(p.month_start, p.valid_from)                       AS "ChargePeriodStart",
       p.quantity                                                  AS "ConsumedQuantity",
       u.unit                                                      AS "ConsumedUnit",
       p.list_cost                                                 AS "ContractedCost",
       trim_scale(p.cut_cost + CASE WHEN p.remainder_rank * p.minor_unit <= p.left_over THEN p.minor_unit ELSE 0 END)
                                                                   AS "EffectiveCost",
       coalesce(inv.issuer, c.cloud_key)                           AS "InvoiceIssuerName",
       p.list_cost                                                 AS "ListCost",
       p.unit_price                                                AS "ListUnitPrice",
       p.quantity                                                  AS "PricingQuantity",
       u.unit                                                      AS "PricingUnit",
       c.cloud_key                                                 AS "ProviderName",
       c.cloud_key                                                 AS "PublisherName",
       nullif(substring(c.cloud_key FROM '/([^/]+)$'), '')         AS "RegionId",
       nullif(substring(c.cloud_key FROM '/([^/]+)$'), '')         AS "RegionName",
       p.instance_id::text                                         AS "ResourceId",
       sv.name                                                     AS "ResourceName",
       'Virtual Machine'                                           AS "ResourceType",
       'Compute'                                                   AS "ServiceCategory",
       'OpenStack Compute'                                         AS "ServiceName",
       'Virtual Machines'                                          AS "ServiceSubcategory",
       CASE WHEN p.resource = 'flavor_hour' THEN 'flavor_hour:' || p.flavor ELSE p.resource END AS "SkuId",
       CASE p.resource
           WHEN 'vcpu_hour' THEN 'vCPU'
           WHEN 'ram_gb_hour' THEN 'RAM'
           WHEN 'disk_gb_hour' THEN 'Disk'
           ELSE 'Flavor'
       END                                                         AS "SkuMeter",
       p.rate_id::text                                             AS "SkuPriceId",
       p.project_id                                                AS "SubAccountId",
       pr.name                                                     AS "SubAccountName"
FROM priced p
JOIN metrics.cloud c ON c.cloud_id = p.cloud_id
CROSS JOIN LATERAL (SELECT CASE p.resource
                               WHEN 'vcpu_hour' THEN 'Core-Hours'
                               WHEN 'ram_gb_hour' THEN 'GiB-Hours'
                               WHEN 'disk_gb_hour' THEN 'GB-Hours'
                               ELSE 'Instance-Hours'
                           END AS unit) u
LEFT JOIN metrics.project pr ON pr.cloud_id = p.cloud_id AND pr.project_id = p.project_id
LEFT JOIN metrics.server sv ON sv.cloud_id = p.cloud_id AND sv.instance_id = p.instance_id
LEFT JOIN metrics.project_customer pc ON pc.project_id = p.project_id
LEFT JOIN metrics.customer cu ON cu.customer_id = pc.customer_id
LEFT JOIN LATERAL (SELECT min(d.issuer) AS issuer
                   FROM metrics.invoice_document d
                   WHERE d.kind = 'invoice' AND d.cancelled_by IS NULL AND d.cloud_key = c.cloud_key
                     AND d.month = p.month AND d.customer = cu.name) inv ON true;

COMMENT ON VIEW report.focus IS
    'Priced usage as FOCUS 1.1 charges: per cloud, billing month, project, server, resource and price in force.';
GRANT SELECT ON report.focus TO os_metrics_reader;

-- the month's invoice lines, of one cloud (:cloud) or of every cloud (:cloud null)
SELECT cloud, project_id, project_name, month_start, month_end, resource, flavor, unit, quantity, unit_price,
       currency, amount, completeness, billing_policy
FROM report.invoice_monthly
WHERE month = :month AND (CAST(:cloud AS text) IS NULL OR cloud = :cloud)
ORDER BY cloud, project_id, resource, flavor NULLS FIRST, price_valid_from, billing_policy NULLS FIRST

-- The month's priced lines of every project, as report.invoice_monthly lists them.
SELECT project_id, resource, flavor, unit, quantity, unit_price, currency, amount, price_valid_from
FROM report.invoice_monthly
WHERE cloud = :cloud AND month = :month
ORDER BY project_id, resource, flavor NULLS FIRST, price_valid_from NULLS FIRST

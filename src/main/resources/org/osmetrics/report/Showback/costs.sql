-- Each project's cost in each of the months asked for, per currency: the sum of its report.invoice_monthly
-- amounts (already rounded once per line), and how many of its lines have no price (currency null).
SELECT project_id, month, currency, sum(amount) AS amount, count(*) FILTER (WHERE amount IS NULL) AS unpriced
FROM report.invoice_monthly
WHERE cloud = :cloud AND month = ANY(:months)
GROUP BY project_id, month, currency
ORDER BY month, project_id, currency

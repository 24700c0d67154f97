-- what the invoices of the cloud bill in the months that overlap [:from, :to), per month, project, resource and flavor
SELECT month, project_id, resource, coalesce(flavor, '') AS flavor, sum(quantity) AS quantity,
       sum(amount) AS amount, min(currency) AS currency
FROM report.invoice_monthly
WHERE cloud = :cloud AND month_start < :to AND month_end > :from
GROUP BY month, project_id, resource, coalesce(flavor, '')

SELECT pc.project_id, c.name, c.cost_centre, c.address, c.tax_id, c.tax_rate, c.currency, c.source
FROM metrics.project_customer pc
JOIN metrics.customer c ON c.customer_id = pc.customer_id
ORDER BY c.name, pc.project_id

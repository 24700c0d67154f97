INSERT INTO metrics.customer (name, cost_centre, address, tax_id, tax_rate, currency, source, run_id)
VALUES (:name, :costCentre, :address, :taxId, :taxRate, :currency, :source, :runId)
RETURNING customer_id

-- the invoice in force (issued, not cancelled) of a cloud, month and customer
SELECT number_text, kind, cloud_key, customer, total, billed, data, html, pdf, cancelled_by
FROM metrics.invoice_document
WHERE issuer = :issuer AND cloud_key = :cloud AND month = :month AND customer = :customer
  AND kind = 'invoice' AND cancelled_by IS NULL
ORDER BY number

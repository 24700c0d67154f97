-- the invoices in force (issued, not cancelled) of the month, of one cloud (:cloud) or of every cloud (:cloud null)
SELECT number_text, kind, cloud_key, customer, total, billed, data, html, pdf, cancelled_by
FROM metrics.invoice_document
WHERE issuer = :issuer AND (CAST(:cloud AS text) IS NULL OR cloud_key = :cloud) AND month = :month
  AND kind = 'invoice' AND cancelled_by IS NULL
ORDER BY number

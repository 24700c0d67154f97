-- the months of the cloud with an invoice in force (issued, not cancelled): closed months
SELECT DISTINCT month FROM metrics.invoice_document
WHERE cloud_key = :cloud AND kind = 'invoice' AND cancelled_by IS NULL ORDER BY month

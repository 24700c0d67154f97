-- the issuer's invoice of that number (:number: its number, or its number's text)
SELECT number_text, kind, cloud_key, customer, total, billed, data, html, pdf, cancelled_by
FROM metrics.invoice_document
WHERE issuer = :issuer AND (number_text = :number OR CAST(number AS text) = :number) AND kind = 'invoice'
ORDER BY number

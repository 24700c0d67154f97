INSERT INTO metrics.invoice_document (issuer, number, number_text, kind, cloud_key, month, customer,
    currency, completeness, credits, total, billed, data, html, pdf, issued_at, run_id)
VALUES (:issuer, :number, :numberText, :kind, :cloud, :month, :customer, :currency, :completeness,
    :credits, :total, :billed, :data, :html, :pdf, :issuedAt, :runId)

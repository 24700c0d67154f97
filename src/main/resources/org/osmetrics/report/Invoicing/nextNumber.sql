SELECT coalesce(max(number), 0) + 1 FROM metrics.invoice_document WHERE issuer = :issuer

UPDATE metrics.invoice_document SET cancelled_by = :credit WHERE issuer = :issuer AND number = :number

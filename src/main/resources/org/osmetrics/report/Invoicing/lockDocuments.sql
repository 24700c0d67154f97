-- one issuer of numbers at a time: numbers follow each other without gaps
LOCK TABLE metrics.invoice_document IN SHARE ROW EXCLUSIVE MODE

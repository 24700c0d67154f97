-- the export of report.customer_monthly (ReportExporter): each filter is the fragment of the same name in customer_monthly/ when
-- the request asks for it, else everyRow
SELECT * FROM report.customer_monthly
WHERE <from> AND <to> AND <cloud>
ORDER BY month_start, cloud, customer, currency

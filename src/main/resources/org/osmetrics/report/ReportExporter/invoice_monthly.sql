-- the export of report.invoice_monthly (ReportExporter): each filter is the fragment of the same name in invoice_monthly/ when
-- the request asks for it, else everyRow
SELECT * FROM report.invoice_monthly
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY month_start, cloud, project_id, resource, flavor, price_valid_from

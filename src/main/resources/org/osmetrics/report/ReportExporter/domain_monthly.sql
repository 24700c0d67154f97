-- the export of report.domain_monthly (ReportExporter): each filter is the fragment of the same name in domain_monthly/ when
-- the request asks for it, else everyRow
SELECT * FROM report.domain_monthly
WHERE <from> AND <to> AND <cloud>
ORDER BY month_start, cloud, domain_id, currency

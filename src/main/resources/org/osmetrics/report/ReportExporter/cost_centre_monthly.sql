-- the export of report.cost_centre_monthly (ReportExporter): each filter is the fragment of the same name in cost_centre_monthly/ when
-- the request asks for it, else everyRow
SELECT * FROM report.cost_centre_monthly
WHERE <from> AND <to> AND <cloud>
ORDER BY month_start, cloud, cost_centre, currency

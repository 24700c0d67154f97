-- the export of report.project_usage_monthly (ReportExporter): each filter is the fragment of the same name in project_usage_monthly/ when
-- the request asks for it, else everyRow
SELECT * FROM report.project_usage_monthly
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY month_start, cloud, project_id

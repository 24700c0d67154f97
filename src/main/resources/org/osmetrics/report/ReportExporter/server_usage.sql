-- the export of report.server_usage (ReportExporter): each filter is the fragment of the same name in server_usage/ when
-- the request asks for it, else everyRow
SELECT * FROM report.server_usage
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY window_start, cloud, tenant_id, instance_id

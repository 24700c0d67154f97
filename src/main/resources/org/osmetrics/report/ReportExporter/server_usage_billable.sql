-- the export of report.server_usage_billable (ReportExporter): each filter is the fragment of the same name in server_usage_billable/ when
-- the request asks for it, else everyRow
SELECT * FROM report.server_usage_billable
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY window_start, cloud, project_id, instance_id, vm_state, recovered

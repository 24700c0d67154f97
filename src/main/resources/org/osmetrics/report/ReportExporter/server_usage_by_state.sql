-- the export of report.server_usage_by_state (ReportExporter): each filter is the fragment of the same name in server_usage_by_state/ when
-- the request asks for it, else everyRow
SELECT * FROM report.server_usage_by_state
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY window_start, cloud, project_id, instance_id, recovered, state_known DESC, vm_state, flavor_as_run

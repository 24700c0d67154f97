-- the export of report.project_billable_daily (ReportExporter): each filter is the fragment of the same name in project_billable_daily/ when
-- the request asks for it, else everyRow
SELECT * FROM report.project_billable_daily
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY day_start, cloud, project_id, vm_state, recovered

-- the export of report.reconciliation (ReportExporter): each filter is the fragment of the same name in reconciliation/ when
-- the request asks for it, else everyRow
SELECT * FROM report.reconciliation
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY range_start, cloud, project_id

-- the export of report.tenant_usage_document (ReportExporter): each filter is the fragment of the same name in tenant_usage_document/ when
-- the request asks for it, else everyRow
SELECT * FROM report.tenant_usage_document
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY range_start, cloud, project_id

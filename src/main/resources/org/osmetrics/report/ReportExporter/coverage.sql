-- the export of report.coverage (ReportExporter): each filter is the fragment of the same name in coverage/ when
-- the request asks for it, else everyRow
SELECT * FROM report.coverage
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY cloud, scope, period_start

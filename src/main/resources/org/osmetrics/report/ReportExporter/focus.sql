-- the export of report.focus (ReportExporter): each filter is the fragment of the same name in focus/ when
-- the request asks for it, else everyRow
SELECT * FROM report.focus
WHERE <from> AND <to> AND <projects> AND <cloud>
ORDER BY "BillingPeriodStart", "ProviderName", "SubAccountId", "SkuId", "ChargePeriodStart", "ResourceId"

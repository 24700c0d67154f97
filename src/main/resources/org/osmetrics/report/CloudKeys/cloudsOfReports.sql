SELECT DISTINCT cloud FROM report.coverage ORDER BY cloud

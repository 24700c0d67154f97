-- report.usage_windows: how many servers had usage in each window, per cloud and project?
-- One row per cloud, project and window of the grid with facts, read from metrics.usage_rollup (a few rows per
-- project and window, not one per server): cheap to list a month's windows. The export of server_usage plans its
-- chunks with it (ReportExporter). Filter on window_start to read only the windows needed.
--
--   cloud, project_id  where the usage belongs
--   window_start       the window of the grid, UTC
--   servers            servers with a fact in that window (rows of server_usage)
DROP VIEW IF EXISTS report.usage_windows;
CREATE VIEW report.usage_windows AS
SELECT c.cloud_key         AS cloud,
       r.project_id,
       r.window_start,
       sum(r.facts)::bigint AS servers
FROM metrics.usage_rollup r
JOIN metrics.cloud c ON c.cloud_id = r.cloud_id
GROUP BY c.cloud_key, r.project_id, r.window_start;

COMMENT ON VIEW report.usage_windows IS
    'Per cloud, project and window: the servers with usage in it (rows of server_usage), from the rollup.';
GRANT SELECT ON report.usage_windows TO os_metrics_reader;

-- report.server_usage: what did each server use in each window?
-- One row per server and window of the grid, with exactly the old script's CSV fields, in its order,
-- then where the row belongs. Filter on window_start (or window_end) to read only the partitions needed.
--
--   hours         hours of the window the server existed (Nova's formula, split over the grid)
--   flavor        flavor name in force for that window (after a resize, the new one from its window on)
--   instance_id   server UUID
--   name          server name (latest known)
--   tenant_id     project id
--   memory_mb     RAM of the flavor in that window, MB
--   local_gb      root + ephemeral disk of the flavor in that window, GB
--   vcpus         vCPUs of the flavor in that window
--   started_at    Nova's launched_at (latest known; a resize or rebuild resets it)
--   ended_at      Nova's terminated_at, null while the server exists
--   state         latest known state (an open set: active, terminated, shelved_offloaded, ...)
--   uptime        seconds of uptime at the last extraction (never stable: not a key)
--   project_name  project name from Keystone, null when the credentials could not list it
--   window_start, window_end  the window of the grid, UTC, [start, end)
--   cloud         the cloud key (Keystone URL + region) the server belongs to
--   provisional   true while the window was still open when extracted (a later run replaces it)
DROP VIEW IF EXISTS report.server_usage;
CREATE VIEW report.server_usage AS
SELECT f.hours,
       fl.name         AS flavor,
       f.instance_id,
       s.name,
       f.project_id    AS tenant_id,
       f.memory_mb,
       f.local_gb,
       f.vcpus,
       s.started_at,
       s.ended_at,
       s.state,
       s.uptime,
       p.name          AS project_name,
       f.window_start,
       f.window_end,
       c.cloud_key     AS cloud,
       f.provisional
FROM metrics.usage_fact f
JOIN metrics.cloud c ON c.cloud_id = f.cloud_id
JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
JOIN metrics.server s ON s.cloud_id = f.cloud_id AND s.instance_id = f.instance_id
LEFT JOIN metrics.project p ON p.cloud_id = f.cloud_id AND p.project_id = f.project_id;

COMMENT ON VIEW report.server_usage IS
    'One row per server and window: the old script''s CSV fields (hours .. uptime), then project_name, window_start, window_end, cloud, provisional.';
GRANT SELECT ON report.server_usage TO os_metrics_reader;

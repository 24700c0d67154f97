-- Staging table of the servers of one load, shaped like its target (without cloud and run): filled by COPY,
-- dropped at commit.
CREATE TEMP TABLE stage_server ON COMMIT DROP AS
SELECT instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime
FROM metrics.server WITH NO DATA

-- metrics.server_hours_in_range: the one per-project read of the facts that report.reconciliation and
-- report.tenant_usage_document share (this file's name sorts first: Flyway applies repeatable migrations in
-- the order of their descriptions, and both views call it).
--
-- For one cloud, project and extracted range [range_start, range_end) on the cloud's window grid: each server
-- (and flavor, when the range saw two) of the project with its hours in the range, computed like Nova from the
-- whole microseconds of its windows ((double) micros / 1e6 / 3600), so they equal Nova's figure bit for bit.
--
-- SECURITY DEFINER because a tenant reads the views without rights on schema metrics (PostgreSQL checks a
-- function's tables as the caller, and would refuse): the views call it only for the project of a
-- metrics.nova_totals row that row-level security lets the tenant see, and a tenant cannot call it by name
-- (no USAGE on schema metrics). Not inlined, so the plan is the same probes as before, run per range.
CREATE OR REPLACE FUNCTION metrics.server_hours_in_range(p_cloud_id integer, p_project_id text,
                                                         p_range_start timestamptz, p_range_end timestamptz,
                                                         p_window_seconds integer)
    RETURNS TABLE (instance_id uuid, flavor_id integer, vcpus integer, memory_mb integer, local_gb integer,
                   hours double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT f.instance_id, f.flavor_id, f.vcpus, f.memory_mb, f.local_gb,
       sum(round(f.hours * 3600000000.0::float8)::bigint)::float8 / 1000000.0::float8 / 3600.0::float8 AS hours
-- the project's servers listed around the range, then each one's fact of each window of the range:
-- probes of the fact table's key (metrics.project_server, V80)
FROM metrics.project_server ps
JOIN metrics.server sv ON sv.cloud_id = ps.cloud_id AND sv.instance_id = ps.instance_id
CROSS JOIN generate_series(
    date_bin(make_interval(secs => p_window_seconds),
             p_range_start + make_interval(secs => p_window_seconds) - interval '1 microsecond',
             timestamptz '1970-01-01 00:00:00+00'),
    p_range_end - interval '1 microsecond',
    make_interval(secs => p_window_seconds)) AS w (window_start)
CROSS JOIN LATERAL (
    -- one probe of the key per server and window (LIMIT 1: at most one row by the key, and it keeps
    -- the planner from turning the probes into a scan of the whole partition)
    SELECT f.*
    FROM metrics.usage_fact f
    WHERE f.cloud_id = ps.cloud_id AND f.window_start = w.window_start AND f.instance_id = ps.instance_id
    LIMIT 1) f
WHERE ps.cloud_id = p_cloud_id AND ps.project_id = p_project_id
  AND sv.first_seen < p_range_end AND sv.last_seen > p_range_start
  AND f.project_id = p_project_id
GROUP BY f.instance_id, f.flavor_id, f.vcpus, f.memory_mb, f.local_gb
$$;

COMMENT ON FUNCTION metrics.server_hours_in_range(integer, text, timestamptz, timestamptz, integer) IS
    'Each server (and flavor) of a project with its hours in an extracted range, computed like Nova: for report.reconciliation and report.tenant_usage_document.';

-- Least privilege (issue #19; README, "Access"). Three kinds of database roles besides the owner that runs these
-- migrations (and so owns every table, view and function: it needs CREATE on the database, nothing more):
--   os_metrics_loader  the pipeline: run, backfill, import-json, rates import, status, export. It reads and
--                      writes the tables of schema metrics (never the migration history), creates a month's
--                      partition only through metrics.create_usage_fact_partition (V84), keeps its staging
--                      tables in TEMP (granted here explicitly), and cannot migrate, create or drop anything.
--   os_metrics_reader  finance (V51): SELECT on the views of schema report only; no CREATE, no TEMP.
--   os_metrics_tenant  a project's lead or accountant (`os-metrics access grant`, V86): the report views, rows
--                      of its own projects only.
-- All are NOLOGIN groups, granted to logins. Roles are cluster-wide: created only when missing.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['os_metrics_loader', 'os_metrics_reader', 'os_metrics_tenant'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = name) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            END IF;
        EXCEPTION
            -- another database of the same server created it between the check and the CREATE
            WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
END
$$;

-- TEMP is granted to PUBLIC by default: only the loader keeps it. (A migrating role that does not own the
-- database gets a warning here instead; its DBA runs this REVOKE, README "Access".)
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO os_metrics_loader', current_database());
END
$$;

-- The loader: the tables' rows, not their definitions.
GRANT USAGE ON SCHEMA metrics, report TO os_metrics_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA metrics TO os_metrics_loader;
REVOKE INSERT, UPDATE, DELETE ON metrics.flyway_schema_history FROM os_metrics_loader;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA metrics TO os_metrics_loader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA metrics TO os_metrics_loader;
GRANT SELECT ON ALL TABLES IN SCHEMA report TO os_metrics_loader;
-- and on what later migrations (and the partition function, which runs as the owner) create
ALTER DEFAULT PRIVILEGES IN SCHEMA metrics GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO os_metrics_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA metrics GRANT USAGE, SELECT ON SEQUENCES TO os_metrics_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA metrics GRANT EXECUTE ON FUNCTIONS TO os_metrics_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA report GRANT SELECT ON TABLES TO os_metrics_loader;

-- `rates import` analyses the rate card (V83): ANALYZE is for the table's owner, so the loader asks the owner.
CREATE FUNCTION metrics.analyze_rate_card() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    ANALYZE metrics.rate_card;
END
$$;
REVOKE ALL ON FUNCTION metrics.analyze_rate_card() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION metrics.analyze_rate_card() TO os_metrics_loader;

-- Functions are executable by PUBLIC by default; the report schema's helpers (python_float, nova_time) are
-- harmless, but nothing else in schema metrics is for readers or tenants (they have no USAGE on it anyway).
ALTER DEFAULT PRIVILEGES IN SCHEMA metrics REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

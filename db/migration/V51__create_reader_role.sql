-- The read-only role for finance staff: it can read the views of schema "report" and nothing else.
-- It is NOLOGIN: a DBA grants it to a login role (README, "For finance staff"). Roles are cluster-wide,
-- so it is created only when missing (several databases of one server can share it).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'os_metrics_reader') THEN
        CREATE ROLE os_metrics_reader NOLOGIN;
    END IF;
EXCEPTION
    -- another database of the same server created it between the check and the CREATE
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- Nothing in the storage schema, nor in public (where Flyway keeps its history table).
REVOKE ALL ON SCHEMA metrics FROM PUBLIC;
REVOKE ALL ON SCHEMA metrics FROM os_metrics_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA metrics FROM os_metrics_reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The report schema: read its views (owned by the migrating user, so they read the tables with its rights),
-- never create or change anything there.
REVOKE ALL ON SCHEMA report FROM PUBLIC;
GRANT USAGE ON SCHEMA report TO os_metrics_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA report TO os_metrics_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA report GRANT SELECT ON TABLES TO os_metrics_reader;

-- Per-project access enforced by PostgreSQL (issue #19; README, "Access"). A tenant login (a project's lead, its
-- group's accountant) reads the report views with plain SQL and sees only its projects' rows, whatever it writes.
--
-- Which role sees which project: `os-metrics access grant ROLE --project ID|NAME` adds a row here and grants
-- os_metrics_tenant to ROLE. A member of ROLE (or of a role granted to it) sees the project too.
CREATE TABLE metrics.project_access (
    cloud_id    integer     NOT NULL,
    project_id  text        NOT NULL,
    role_oid    oid         NOT NULL,                   -- the role (its name may change; pg_roles.oid does not)
    role_name   text        NOT NULL,                   -- its name when granted, for `access list` once dropped
    granted_at  timestamptz NOT NULL DEFAULT now(),
    granted_by  text        NOT NULL DEFAULT current_user,
    PRIMARY KEY (role_oid, cloud_id, project_id),
    FOREIGN KEY (cloud_id, project_id) REFERENCES metrics.project
);
COMMENT ON TABLE metrics.project_access IS
    'Per role: the projects whose rows it (and its members) see in the report views (os-metrics access grant).';

-- Tenants read the report views; which rows, the row-level security below decides.
GRANT USAGE ON SCHEMA report TO os_metrics_tenant;
GRANT SELECT ON ALL TABLES IN SCHEMA report TO os_metrics_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA report GRANT SELECT ON TABLES TO os_metrics_tenant;

-- Row-level security, FORCEd so that it holds for the owner too: the report views are owned by the migrating
-- role and read the tables with its rights, and the policies see through them who asks (current_user is the
-- querying login). Every role that may read schema metrics (the owner, the loader) and every member of
-- os_metrics_reader (finance) sees every row; anyone else only the rows of the projects granted to a role it is a
-- member of. The first test is an InitPlan, evaluated once per query: for the pipeline and finance the policy
-- costs a comparison per row. Superusers bypass row-level security (on the embedded database every local user
-- is one: isolation needs a server database). Policy quals are applied before any of the querier's own
-- conditions that are not leakproof, so no error message or function can show another project's row.
-- (The tables a tenant can reach through the views; the others are out of its reach altogether.)
DO $$
DECLARE
    sees_all constant text := '(SELECT pg_has_role(current_user, ''os_metrics_reader'', ''USAGE'')'
        || ' OR has_schema_privilege(current_user, ''metrics'', ''USAGE''))';
    visible constant text := '(SELECT a.cloud_id, a.project_id FROM metrics.project_access a'
        || ' JOIN pg_catalog.pg_roles r ON r.oid = a.role_oid WHERE pg_has_role(current_user, r.oid, ''USAGE''))';
    by_project constant text := sees_all || ' OR (cloud_id, project_id) IN ' || visible;
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['usage_fact', 'usage_rollup', 'project', 'project_server', 'nova_totals'] LOOP
        EXECUTE format('CREATE POLICY project_access ON metrics.%I USING (%s)', t, by_project);
    END LOOP;
    -- a server: seen with the project it is in now, or any project it had facts in (metrics.project_server)
    EXECUTE 'CREATE POLICY project_access ON metrics.server USING (' || by_project
        || ' OR EXISTS (SELECT 1 FROM metrics.project_server ps'
        || ' WHERE ps.cloud_id = server.cloud_id AND ps.instance_id = server.instance_id))';
    -- a range extracted for one project, or for all projects ('*': which windows are loaded, no project's data)
    EXECUTE 'CREATE POLICY project_access ON metrics.extracted_range USING (' || sees_all
        || ' OR (cloud_id, scope) IN ' || visible
        || ' OR (scope = ''*'' AND cloud_id IN (SELECT v.cloud_id FROM ' || visible || ' v)))';
    FOREACH t IN ARRAY ARRAY['usage_fact', 'usage_rollup', 'project', 'project_server', 'nova_totals', 'server',
                             'extracted_range'] LOOP
        EXECUTE format('ALTER TABLE metrics.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE metrics.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;

-- The audit trail: who changed the rate card, the pricing policy, the customers, access, and who issued or voided
-- an invoice, when. One row per change, written in the change's own transaction (AuditLog), readable by finance
-- through report.audit_log. Rows are only ever added.
CREATE TABLE metrics.audit_event (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    db_role       text        NOT NULL DEFAULT current_user,  -- the database role that made the change
    session_user_name text    NOT NULL DEFAULT session_user,  -- the login, when it acted through SET ROLE
    action        text        NOT NULL,                      -- 'rates import', 'access grant', 'access revoke', ...
    subject       text,                                      -- what changed: a file, a role, an invoice number
    detail        jsonb       NOT NULL DEFAULT '{}',          -- what exactly (no secrets)
    command_line  text        NOT NULL,                      -- os-metrics's command line, without secrets
    os_user       text,                                      -- the operating system user that ran it
    run_id        bigint      REFERENCES metrics.run
);
CREATE INDEX audit_event_time ON metrics.audit_event (occurred_at);
-- an audit trail is appended to, never rewritten: not even the loader may change or remove a row
REVOKE UPDATE, DELETE, TRUNCATE ON metrics.audit_event FROM os_metrics_loader;
COMMENT ON TABLE metrics.audit_event IS
    'Who changed the rate card, policy, customers or access, or issued or voided an invoice, when (append only).';
-- finance, the loader and the owner read it (report.audit_log); a tenant sees none of it
CREATE POLICY audit_readers ON metrics.audit_event
    USING ((SELECT pg_has_role(current_user, 'os_metrics_reader', 'USAGE') OR has_schema_privilege(current_user, 'metrics', 'USAGE')));
ALTER TABLE metrics.audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics.audit_event FORCE ROW LEVEL SECURITY;

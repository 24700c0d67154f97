-- Scopes an operator has forgotten (`os-metrics scopes forget`): a scope that was run once by mistake (a project
-- name typed where an id was expected, the admin project of a first plain run) or is no longer loaded would
-- otherwise count for `status --fail-if-stale` and the metrics file forever. A scope is forgotten while it has
-- no run that started after forgotten_at: running it again brings it back. Its data and ledger stay as they are.
CREATE TABLE metrics.forgotten_scope (
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    scope         text        NOT NULL,          -- project id, or '*' for all projects
    forgotten_at  timestamptz NOT NULL,
    forgotten_by  text        NOT NULL,          -- the database role that forgot it
    PRIMARY KEY (cloud_id, scope)
);

COMMENT ON TABLE metrics.forgotten_scope IS
    'Scopes that monitoring ignores (os-metrics scopes forget) until a run of the scope starts after forgotten_at.';

-- Whether monitoring ignores a scope now: forgotten, and no run of it (any command) started since.
CREATE FUNCTION metrics.scope_forgotten(cloud integer, scope_key text) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM metrics.forgotten_scope f
        WHERE f.cloud_id = cloud AND f.scope = scope_key
          AND NOT EXISTS (SELECT 1 FROM metrics.run r
                          WHERE r.cloud_id = cloud AND r.scope = scope_key AND r.started_at > f.forgotten_at))
$$;

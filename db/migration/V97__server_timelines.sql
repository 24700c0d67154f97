-- Server timelines from Nova's instance actions (issue #15; README, "Usage as it ran"). What each server did,
-- hour by hour: its vm_state and flavor over time, rebuilt from its actions (transform/Timelines) and stored per
-- server, replaced whole when new actions arrive (load/TimelineLoader). Nova's usage facts are not touched:
-- report.server_usage_by_state divides each fact's hours among these states.
--
-- One row per interval of a server's life: [valid_from, valid_to), valid_to null while it lasts. Intervals of a
-- server never overlap. vm_state uses Nova's names (active, stopped, paused, suspended, shelved,
-- shelved_offloaded, rescued, resized, soft-delete, error, building, deleted); flavor_id null when the flavor of
-- that time is not known; assumption says why a state was assumed rather than read (e.g. a shelve without a
-- later action that tells whether it was offloaded), null when the actions told it.
CREATE TABLE metrics.server_interval (
    cloud_id     integer     NOT NULL REFERENCES metrics.cloud,
    instance_id  uuid        NOT NULL,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    vm_state     text        NOT NULL,
    flavor_id    integer     REFERENCES metrics.flavor,
    assumption   text,
    run_id       bigint      REFERENCES metrics.run,
    PRIMARY KEY (cloud_id, instance_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE metrics.server_interval IS
    'Per server: its vm_state and flavor over time, from Nova''s instance actions (os-metrics timeline --server ID).';

-- Hours Nova dropped (issue #15 item 4): a resize, unshelve, rebuild or rescue moves launched_at, and the hours
-- before it vanish from every later usage answer. Where a timeline shows the server before its launched_at and no
-- fact of that server exists for the window, its hours are kept here per window, state and flavor of that time:
-- flagged as recovered, separate from Nova's facts, never for a window that has a fact of the server.
CREATE TABLE metrics.recovered_usage (
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    instance_id   uuid        NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    vm_state      text        NOT NULL,
    flavor_id     integer     NOT NULL REFERENCES metrics.flavor,
    project_id    text        NOT NULL,
    vcpus         integer     NOT NULL,
    memory_mb     integer     NOT NULL,
    local_gb      integer     NOT NULL,
    hours         numeric     NOT NULL CHECK (hours > 0),
    run_id        bigint      REFERENCES metrics.run,
    PRIMARY KEY (cloud_id, instance_id, window_start, vm_state, flavor_id),
    CHECK (window_start < window_end)
);
COMMENT ON TABLE metrics.recovered_usage IS
    'Hours Nova dropped (launched_at reset) recovered from a timeline, per server, window, state and flavor; never where a fact exists.';

-- Each timeline load of a cloud, for status and the Prometheus file: when, how many servers, problems, and the
-- error when the actions could not be read at all.
CREATE TABLE metrics.timeline_load (
    load_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    run_id        bigint      REFERENCES metrics.run,
    finished_at   timestamptz NOT NULL DEFAULT now(),
    servers       integer     NOT NULL DEFAULT 0,
    intervals     integer     NOT NULL DEFAULT 0,
    problems      integer     NOT NULL DEFAULT 0,
    unknown_to_nova integer   NOT NULL DEFAULT 0,
    error         text
);
CREATE INDEX timeline_load_cloud_time ON metrics.timeline_load (cloud_id, finished_at);
COMMENT ON TABLE metrics.timeline_load IS
    'Each timeline load per cloud: servers rebuilt, problems found, or the error that stopped it (status, metrics file).';

-- Per-project access (V86): a tenant reads these only through the report views; the rows follow the project.
DO $$
DECLARE
    sees_all constant text := '(SELECT pg_has_role(current_user, ''os_metrics_reader'', ''USAGE'')'
        || ' OR has_schema_privilege(current_user, ''metrics'', ''USAGE''))';
    visible constant text := '(SELECT a.cloud_id, a.project_id FROM metrics.project_access a'
        || ' JOIN pg_catalog.pg_roles r ON r.oid = a.role_oid WHERE pg_has_role(current_user, r.oid, ''USAGE''))';
BEGIN
    EXECUTE 'CREATE POLICY project_access ON metrics.recovered_usage USING (' || sees_all
        || ' OR (cloud_id, project_id) IN ' || visible || ')';
    -- an interval: seen with its server (whose own policy follows its projects)
    EXECUTE 'CREATE POLICY project_access ON metrics.server_interval USING (' || sees_all
        || ' OR EXISTS (SELECT 1 FROM metrics.server s'
        || ' WHERE s.cloud_id = server_interval.cloud_id AND s.instance_id = server_interval.instance_id))';
END
$$;
ALTER TABLE metrics.recovered_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics.recovered_usage FORCE ROW LEVEL SECURITY;
ALTER TABLE metrics.server_interval ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics.server_interval FORCE ROW LEVEL SECURITY;

-- Nova's instance actions as os-metrics read them (issue #15): one row per action of a server, its events as
-- Nova listed them (jsonb array of {event, start_time, finish_time, result}), kept so that a run, which reads only
-- the actions changed since the previous run, can rebuild a server's timeline from its whole history.
CREATE TABLE metrics.instance_action (
    cloud_id     integer     NOT NULL REFERENCES metrics.cloud,
    instance_id  uuid        NOT NULL,
    request_id   text        NOT NULL,
    action       text        NOT NULL,
    project_id   text,
    user_id      text,
    start_time   timestamptz,
    updated_at   timestamptz,                    -- Nova's, from microversion 2.58; null below
    message      text,                           -- 'Error' when the action failed
    events       jsonb       NOT NULL DEFAULT '[]',
    events_read  boolean     NOT NULL,           -- false: events not asked (no state change) or not shown
    read_at      timestamptz NOT NULL,
    PRIMARY KEY (cloud_id, instance_id, request_id)
);

COMMENT ON TABLE metrics.instance_action IS
    'Nova instance actions read by run/backfill (GET /servers/{id}/os-instance-actions), the input of timelines.';

-- Per cloud and scope: where the next run's timeline extraction starts (Nova's clock of the previous one, less a
-- safety overlap), and whether the credentials may read instance actions at all (a 403 is remembered here, so
-- the warning is given once, not at every run).
CREATE TABLE metrics.timeline_extraction (
    cloud_id        integer     NOT NULL REFERENCES metrics.cloud,
    scope           text        NOT NULL,          -- project id, or '*' for all projects
    changes_since   timestamptz,                   -- the next run asks for servers changed since then
    extracted_at    timestamptz,                   -- local time of the last successful timeline extraction
    servers_read    integer     NOT NULL DEFAULT 0,
    no_right_since  timestamptz,                   -- set when Nova answered 403; cleared by a later success
    no_right_reason text,
    last_error      text,                          -- the last failed timeline extraction's message (usage was loaded)
    last_error_at   timestamptz,                   -- cleared by a later success
    PRIMARY KEY (cloud_id, scope)
);

COMMENT ON TABLE metrics.timeline_extraction IS
    'Timeline extraction state per scope: the changes-since of the next run, and a remembered lack of right (403).';

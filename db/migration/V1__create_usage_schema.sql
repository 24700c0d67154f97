-- os-metrics storage. Tables live in schema "metrics"; finance staff read only the views of schema
-- "report" (sql-reports/). All times are timestamptz in UTC. Flyway creates both schemas before V1.

-- One row per cloud (Keystone + region). The window grid is fixed per cloud once data exists.
CREATE TABLE metrics.cloud (
    cloud_id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_key       text        NOT NULL UNIQUE,
    window_seconds  integer     NOT NULL CHECK (window_seconds > 0 AND 86400 % window_seconds = 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Projects, with the name from Keystone when the credentials could list it.
CREATE TABLE metrics.project (
    cloud_id    integer     NOT NULL REFERENCES metrics.cloud,
    project_id  text        NOT NULL,
    name        text,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cloud_id, project_id)
);

-- Flavors as Nova reports them: a name plus sizes. The same name with other sizes is another row.
CREATE TABLE metrics.flavor (
    flavor_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_id    integer NOT NULL REFERENCES metrics.cloud,
    name        text    NOT NULL,
    vcpus       integer NOT NULL,
    memory_mb   integer NOT NULL,
    local_gb    integer NOT NULL,
    UNIQUE (cloud_id, name, vcpus, memory_mb, local_gb)
);

-- Servers: the latest known facts about each instance (from the extraction with the latest stop).
-- first_seen: start of the earliest extracted range that listed it; last_seen: the latest stop that did.
CREATE TABLE metrics.server (
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    instance_id   uuid        NOT NULL,
    project_id    text        NOT NULL,
    name          text,
    flavor_id     integer     NOT NULL REFERENCES metrics.flavor,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    state         text        NOT NULL,
    uptime        bigint,
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    PRIMARY KEY (cloud_id, instance_id)
);

-- Flavor history, never overwritten: one row per flavor a server was seen with for each launch.
-- Nova resets launched_at on a resize (and reports the new flavor for the whole range), so the new row's
-- started_at is when that flavor took effect. first_seen is the start of the earliest extracted range
-- that showed it; run_id the run that recorded it first.
CREATE TABLE metrics.server_flavor_history (
    cloud_id     integer     NOT NULL,
    instance_id  uuid        NOT NULL,
    started_at   timestamptz NOT NULL,
    flavor_id    integer     NOT NULL REFERENCES metrics.flavor,
    first_seen   timestamptz NOT NULL,
    run_id       bigint      NOT NULL,
    PRIMARY KEY (cloud_id, instance_id, started_at, flavor_id),
    FOREIGN KEY (cloud_id, instance_id) REFERENCES metrics.server
);

-- The run ledger: every command that touches the data, with its outcome.
CREATE TABLE metrics.run (
    run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command       text        NOT NULL,
    arguments     text        NOT NULL,          -- the command line without secrets
    cloud_id      integer REFERENCES metrics.cloud,
    scope         text,                          -- project id, or '*' for all projects
    range_start   timestamptz,
    range_end     timestamptz,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    status        text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'reconciliation_failed')),
    windows       integer     NOT NULL DEFAULT 0,
    servers       integer     NOT NULL DEFAULT 0,
    rows_loaded   bigint      NOT NULL DEFAULT 0,
    error         text
);

-- Each range extracted and loaded, per scope: what Nova was asked and what it said.
CREATE TABLE metrics.extracted_range (
    cloud_id              integer     NOT NULL REFERENCES metrics.cloud,
    scope                 text        NOT NULL,  -- project id, or '*' for all projects
    range_start           timestamptz NOT NULL,
    range_end             timestamptz NOT NULL,
    stop                  timestamptz NOT NULL,  -- the end Nova answered for (clamped for an open range)
    provisional           boolean     NOT NULL,
    microversion          text        NOT NULL,
    truncation_suspected  boolean     NOT NULL DEFAULT false,
    server_count          integer     NOT NULL,
    extracted_at          timestamptz NOT NULL,
    run_id                bigint      NOT NULL REFERENCES metrics.run,
    PRIMARY KEY (cloud_id, scope, range_start),
    CHECK (range_start < range_end)
);

-- The per-project totals Nova reported for each extracted range (pages merged), next to our own
-- double sums in API order, for reconciliation.
CREATE TABLE metrics.nova_totals (
    cloud_id               integer          NOT NULL REFERENCES metrics.cloud,
    project_id             text             NOT NULL,
    range_start            timestamptz      NOT NULL,
    range_end              timestamptz      NOT NULL,
    server_count           integer          NOT NULL,
    total_hours            double precision NOT NULL,
    total_vcpus_usage      double precision NOT NULL,
    total_memory_mb_usage  double precision NOT NULL,
    total_local_gb_usage   double precision NOT NULL,
    our_hours              double precision NOT NULL,
    our_vcpus_usage        double precision NOT NULL,
    our_memory_mb_usage    double precision NOT NULL,
    our_local_gb_usage     double precision NOT NULL,
    matches                boolean          NOT NULL,
    provisional            boolean          NOT NULL,
    run_id                 bigint           NOT NULL REFERENCES metrics.run,
    PRIMARY KEY (cloud_id, project_id, range_start)
);

-- The usage fact: one row per server and window of the grid. Range-partitioned by window start,
-- monthly partitions created on demand by the loader.
CREATE TABLE metrics.usage_fact (
    cloud_id         integer          NOT NULL,
    window_start     timestamptz      NOT NULL,
    window_end       timestamptz      NOT NULL,
    instance_id      uuid             NOT NULL,
    project_id       text             NOT NULL,
    flavor_id        integer          NOT NULL,
    vcpus            integer          NOT NULL,
    memory_mb        integer          NOT NULL,
    local_gb         integer          NOT NULL,
    hours            double precision NOT NULL,
    vcpu_hours       double precision NOT NULL,
    memory_mb_hours  double precision NOT NULL,
    local_gb_hours   double precision NOT NULL,
    state            text             NOT NULL,
    provisional      boolean          NOT NULL,
    run_id           bigint           NOT NULL,
    PRIMARY KEY (cloud_id, instance_id, window_start)
) PARTITION BY RANGE (window_start);

CREATE INDEX usage_fact_project_window ON metrics.usage_fact (cloud_id, project_id, window_start);

-- A closed window that a later extraction saw differently (launched_at reset, archived rows, ...):
-- both values are kept; the facts change only when the operator asks (--restate).
CREATE TABLE metrics.restatement (
    restatement_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_id         integer          NOT NULL,
    instance_id      uuid             NOT NULL,
    window_start     timestamptz      NOT NULL,
    window_end       timestamptz      NOT NULL,
    project_id       text             NOT NULL,
    old_hours        double precision,           -- null: the server was not recorded before
    new_hours        double precision,           -- null: the source no longer lists the server
    old_flavor_id    integer,
    new_flavor_id    integer,
    applied          boolean          NOT NULL,
    run_id           bigint           NOT NULL REFERENCES metrics.run,
    detected_at      timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX restatement_window ON metrics.restatement (cloud_id, window_start);

-- Anything the transform found wrong with the source data (a split that does not add up, hours that
-- differ from Nova's own formula, totals that do not reconcile, out-of-range values...).
CREATE TABLE metrics.anomaly (
    anomaly_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    run_id        bigint      NOT NULL REFERENCES metrics.run,
    range_start   timestamptz NOT NULL,
    range_end     timestamptz NOT NULL,
    project_id    text,
    instance_id   text,
    kind          text        NOT NULL,
    detail        text        NOT NULL,
    detected_at   timestamptz NOT NULL DEFAULT now()
);

-- Raw API pages, for audit (never with credentials: tokens travel in headers, which are not kept).
CREATE TABLE metrics.raw_page (
    cloud_id      integer     NOT NULL REFERENCES metrics.cloud,
    scope         text        NOT NULL,
    range_start   timestamptz NOT NULL,
    page_index    integer     NOT NULL,
    run_id        bigint      NOT NULL REFERENCES metrics.run,
    url           text        NOT NULL,
    http_status   integer     NOT NULL,
    microversion  text        NOT NULL,
    body          jsonb       NOT NULL,
    fetched_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cloud_id, scope, range_start, run_id, page_index)
);

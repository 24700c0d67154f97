-- Staging tables of a load (loadBatch: one range, or several independent ones): every range's servers with
-- the range's start and stop and its position in the batch, the ranges themselves, and the facts of the
-- ranges that meet recorded data (keyed like the fact table: ranges of one batch share no server and window),
-- and the counts of the fresh ranges' facts for metrics.usage_rollup (addFreshRollup.sql) and their server days for
-- metrics.usage_server_day (addFreshServerDays.sql). Filled by COPY, dropped at commit.
CREATE TEMP TABLE stage_batch_server ON COMMIT DROP AS
SELECT instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime, first_seen, last_seen, 0 AS doc
FROM metrics.server WITH NO DATA;
CREATE TEMP TABLE stage_batch_range (
    doc           integer     PRIMARY KEY,
    range_start   timestamptz NOT NULL,
    range_end     timestamptz NOT NULL,
    stop          timestamptz NOT NULL,
    all_projects  boolean     NOT NULL,
    project_id    text,
    own_project   boolean     NOT NULL,  -- a project's range holding only that project's servers
    fresh         boolean                -- skipped by the statements over the staged facts (markFreshBatchRanges)
) ON COMMIT DROP;
CREATE TEMP TABLE stage_batch_fact ON COMMIT DROP AS
SELECT 0 AS doc, instance_id, project_id, window_start, window_end, flavor_id, vcpus, memory_mb, local_gb, hours,
       vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional
FROM metrics.usage_fact WITH NO DATA;
ALTER TABLE stage_batch_fact ADD PRIMARY KEY (instance_id, window_start);
CREATE TEMP TABLE stage_batch_rollup ON COMMIT DROP AS
SELECT window_start, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, facts
FROM metrics.usage_rollup WITH NO DATA;
CREATE TEMP TABLE stage_batch_server_day (
    project_id    text        NOT NULL,
    instance_id   uuid        NOT NULL,
    first_window  timestamptz NOT NULL,
    last_window   timestamptz NOT NULL,
    facts         integer     NOT NULL
) ON COMMIT DROP;

-- Staging tables of one load: filled by COPY, dropped at commit.
CREATE TEMP TABLE stage_server (
    instance_id  uuid        NOT NULL,
    project_id   text        NOT NULL,
    name         text,
    flavor_id    integer     NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    state        text        NOT NULL,
    uptime       bigint
) ON COMMIT DROP;
CREATE TEMP TABLE stage_fact (
    instance_id      uuid             NOT NULL,
    project_id       text             NOT NULL,
    window_start     timestamptz      NOT NULL,
    window_end       timestamptz      NOT NULL,
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
    PRIMARY KEY (instance_id, window_start)
) ON COMMIT DROP;

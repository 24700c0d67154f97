-- The fact table loses its secondary index usage_fact_project_window (cloud_id, project_id, window_start).
-- It held one entry per fact row and cost about a third of the time of every load (BENCHMARKS.md); its only
-- readers were the per-project, per-range reads of report.reconciliation and report.tenant_usage_document.
-- They now find a project's rows through this small table, one row per (project, server) pair that facts
-- were ever loaded for, and probe the fact table's primary key (cloud_id, window_start, instance_id) once
-- per server and window of the range.
CREATE TABLE metrics.project_server (
    cloud_id     integer NOT NULL REFERENCES metrics.cloud,
    project_id   text    NOT NULL,
    instance_id  uuid    NOT NULL,
    PRIMARY KEY (cloud_id, project_id, instance_id)
);

INSERT INTO metrics.project_server (cloud_id, project_id, instance_id)
SELECT DISTINCT cloud_id, project_id, instance_id FROM metrics.usage_fact;

DROP INDEX metrics.usage_fact_project_window;

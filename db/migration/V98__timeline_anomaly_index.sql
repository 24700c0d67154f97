-- The anomalies of server timelines (issue #15), found per server: each timeline load replaces a server's problems
-- (TimelineLoader), `timeline --server` lists them, status counts them per cloud. metrics.anomaly grows with every
-- run and has no index but its key: a partial index keeps these lookups off a scan of the whole table.
CREATE INDEX anomaly_timeline_server ON metrics.anomaly (cloud_id, instance_id)
    WHERE kind LIKE 'timeline\_%' OR kind = 'dropped_hours';

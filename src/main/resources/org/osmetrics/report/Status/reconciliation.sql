-- Per cloud: the ranges whose per-project totals did not match Nova's when they were loaded (the loader's
-- verdict, kept in metrics.nova_totals; report.reconciliation recomputes it from the facts on demand), and
-- the anomalies of the usage recorded (those of timelines are counted apart: timelines.sql). :cloud (null: all)
-- keeps one cloud.
SELECT c.cloud_key,
       (SELECT count(*) FROM metrics.nova_totals t WHERE t.cloud_id = c.cloud_id AND NOT t.matches) AS mismatches,
       (SELECT min(t.range_start) FROM metrics.nova_totals t WHERE t.cloud_id = c.cloud_id AND NOT t.matches)
           AS first_mismatch,
       (SELECT count(*) FROM metrics.anomaly a WHERE a.cloud_id = c.cloud_id
           AND NOT (a.kind LIKE 'timeline\_%' OR a.kind = 'dropped_hours')) AS anomalies,
       (SELECT count(*) FROM metrics.restatement s WHERE s.cloud_id = c.cloud_id AND NOT s.applied)
           AS pending_restatements
FROM metrics.cloud c
WHERE CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud
ORDER BY c.cloud_key

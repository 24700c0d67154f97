-- Per cloud whose timelines were ever loaded: the latest timeline load (servers, problems, its error), the last
-- one without error, and the problems recorded by timelines (metrics.anomaly)
SELECT c.cloud_key, l.finished_at AS last_load, l.servers, l.problems, l.unknown_to_nova, l.error,
       (SELECT max(s.finished_at) FROM metrics.timeline_load s
        WHERE s.cloud_id = c.cloud_id AND s.error IS NULL) AS last_success,
       (SELECT count(*) FROM metrics.anomaly a
        WHERE a.cloud_id = c.cloud_id AND (a.kind LIKE 'timeline\_%' OR a.kind = 'dropped_hours')) AS anomalies
FROM metrics.cloud c
JOIN LATERAL (SELECT t.* FROM metrics.timeline_load t WHERE t.cloud_id = c.cloud_id
              ORDER BY t.finished_at DESC, t.load_id DESC LIMIT 1) l ON true
WHERE CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud
ORDER BY c.cloud_key

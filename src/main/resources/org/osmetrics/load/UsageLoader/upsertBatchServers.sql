-- The latest facts win (by Nova's stop); an older range (a backfill) only widens first_seen. Writes nothing
-- when nothing changed, so a re-run leaves the table untouched. Over a batch, what loading the ranges one
-- after the other leaves: each server's earliest start and, from the range with the latest stop (the later
-- range on a tie, as a later load would win), its facts; then the upsert against what is recorded.
INSERT INTO metrics.server AS s
       (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime, first_seen, last_seen)
SELECT :cloud, w.instance_id, w.project_id, w.name, w.flavor_id, w.started_at, w.ended_at, w.state, w.uptime,
       f.first_seen, w.last_seen
FROM (SELECT DISTINCT ON (instance_id) *
      FROM stage_batch_server
      ORDER BY instance_id, last_seen DESC, doc DESC) w
JOIN (SELECT instance_id, min(first_seen) AS first_seen
      FROM stage_batch_server
      GROUP BY instance_id) f ON f.instance_id = w.instance_id
ON CONFLICT (cloud_id, instance_id) DO UPDATE SET
    first_seen = LEAST(s.first_seen, excluded.first_seen),
    last_seen  = GREATEST(s.last_seen, excluded.last_seen),
    project_id = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.project_id ELSE s.project_id END,
    name       = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.name       ELSE s.name       END,
    flavor_id  = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.flavor_id  ELSE s.flavor_id  END,
    started_at = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.started_at ELSE s.started_at END,
    ended_at   = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.ended_at   ELSE s.ended_at   END,
    state      = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.state      ELSE s.state      END,
    uptime     = CASE WHEN excluded.last_seen >= s.last_seen THEN excluded.uptime     ELSE s.uptime     END
WHERE excluded.first_seen < s.first_seen
   OR excluded.last_seen > s.last_seen
   OR (excluded.last_seen = s.last_seen
       AND (s.project_id, s.name, s.flavor_id, s.started_at, s.ended_at, s.state)
           IS DISTINCT FROM (excluded.project_id, excluded.name, excluded.flavor_id, excluded.started_at,
                             excluded.ended_at, excluded.state))

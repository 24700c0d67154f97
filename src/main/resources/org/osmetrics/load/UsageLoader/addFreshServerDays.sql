-- The server days of the fresh facts, which the loader COPYs into their month's partition, where the triggers of
-- metrics.usage_fact that keep metrics.usage_server_day (V108) do not fire: added as those triggers add them (the
-- first and last windows widened, the counts summed). The loader sends them in parts (bounded memory) and a day may
-- be split between ranges, so a server day may come in more than one row: merged here.
INSERT INTO metrics.usage_server_day AS s (cloud_id, day, project_id, instance_id, first_window, last_window, facts)
SELECT :cloud, (d.first_window AT TIME ZONE 'UTC')::date, d.project_id, d.instance_id, min(d.first_window),
       max(d.last_window), sum(d.facts)
FROM stage_batch_server_day d
GROUP BY (d.first_window AT TIME ZONE 'UTC')::date, d.project_id, d.instance_id
ON CONFLICT (cloud_id, day, project_id, instance_id)
DO UPDATE SET facts        = s.facts + excluded.facts,
              first_window = LEAST(s.first_window, excluded.first_window),
              last_window  = GREATEST(s.last_window, excluded.last_window)

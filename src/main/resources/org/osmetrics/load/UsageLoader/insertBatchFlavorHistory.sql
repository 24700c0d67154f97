-- A new row for each (launch, flavor) pair never seen before: a resize shows up as a new launched_at with
-- the new flavor; the old row stays. Each pair of the batch once, first seen at the earliest start.
INSERT INTO metrics.server_flavor_history AS h (cloud_id, instance_id, started_at, flavor_id, first_seen, run_id)
SELECT :cloud, st.instance_id, st.started_at, st.flavor_id, min(st.first_seen), :run
FROM stage_batch_server st
GROUP BY st.instance_id, st.started_at, st.flavor_id
ON CONFLICT (cloud_id, instance_id, started_at, flavor_id) DO UPDATE SET
    first_seen = excluded.first_seen
WHERE excluded.first_seen < h.first_seen

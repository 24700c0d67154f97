-- A new row for each (launch, flavor) pair never seen before: a resize shows up as a new launched_at with
-- the new flavor; the old row stays.
INSERT INTO metrics.server_flavor_history AS h (cloud_id, instance_id, started_at, flavor_id, first_seen, run_id)
SELECT :cloud, st.instance_id, st.started_at, st.flavor_id, :start, :run
FROM stage_server st
ON CONFLICT (cloud_id, instance_id, started_at, flavor_id) DO UPDATE SET
    first_seen = excluded.first_seen
WHERE excluded.first_seen < h.first_seen

-- The hours Nova dropped that the timeline recovered, per state and flavor
SELECT c.cloud_key, r.vm_state, fl.name AS flavor, sum(r.hours) AS hours, min(r.window_start) AS first_window,
       max(r.window_end) AS last_window
FROM metrics.recovered_usage r
JOIN metrics.cloud c ON c.cloud_id = r.cloud_id
JOIN metrics.flavor fl ON fl.flavor_id = r.flavor_id
WHERE r.instance_id = CAST(:id AS uuid) AND (CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud)
GROUP BY c.cloud_key, r.vm_state, fl.name
ORDER BY 1, 5

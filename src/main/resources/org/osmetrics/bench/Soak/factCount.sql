SELECT count(*) FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
JOIN metrics.cloud c ON c.cloud_id = f.cloud_id
WHERE c.cloud_key = :key AND f.window_start >= :start AND f.window_end <= :end

-- the billing columns of each fact of cloud :in that cloud :notIn does not have, in [:start, :end): what a
-- backfill at the end can know the same way (state is the server's state when extracted, so it differs for
-- servers that changed since)
(SELECT f.instance_id, f.project_id, f.window_start, f.window_end, fl.name AS flavor, f.vcpus, f.memory_mb,
   f.local_gb, f.hours
 FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
 JOIN metrics.cloud c ON c.cloud_id = f.cloud_id
 WHERE c.cloud_key = :in AND f.window_start >= :start AND f.window_end <= :end)
EXCEPT
(SELECT f.instance_id, f.project_id, f.window_start, f.window_end, fl.name AS flavor, f.vcpus, f.memory_mb,
   f.local_gb, f.hours
 FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id
 JOIN metrics.cloud c ON c.cloud_id = f.cloud_id
 WHERE c.cloud_key = :notIn AND f.window_start >= :start AND f.window_end <= :end)

-- What one cloud holds, per project: servers, fact rows, vCPU-hours and memory GiB-hours (one decimal).
SELECT f.project_id, coalesce(p.name, '') AS name, count(DISTINCT f.instance_id) AS servers, count(*) AS rows,
       round(sum(f.vcpu_hours)::numeric, 1) AS vcpu_hours,
       round(sum(f.memory_mb_hours)::numeric / 1024, 1) AS memory_gb_hours
FROM metrics.usage_fact f
JOIN metrics.cloud c USING (cloud_id)
LEFT JOIN metrics.project p USING (cloud_id, project_id)
WHERE c.cloud_key = :key
GROUP BY 1, 2
ORDER BY 1

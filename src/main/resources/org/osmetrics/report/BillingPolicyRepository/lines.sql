-- the policy of one cloud (:cloud), or of every cloud (:cloud null)
SELECT c.cloud_key, p.vm_state, p.vcpu_hour, p.ram_gb_hour, p.disk_gb_hour, p.flavor_hour, p.recovered,
       p.valid_from, p.valid_to, p.policy_name, p.source
FROM metrics.billing_policy p
JOIN metrics.cloud c ON c.cloud_id = p.cloud_id
WHERE CAST(:cloud AS text) IS NULL OR c.cloud_key = :cloud
ORDER BY c.cloud_key, p.valid_from, p.policy_line_id

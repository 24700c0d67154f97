-- demo: the server of the cloud that spent the most (known) hours stopped, and the one that spent the most shelved or
-- shelved-offloaded, each with Nova's view (every hour counted as running) and what the billing policy bills of it
WITH per AS (
    SELECT b.instance_id, b.vm_state, bool_and(b.state_known) AS known, sum(b.hours) AS hours
    FROM report.server_usage_billable b
    WHERE b.cloud = :key AND NOT b.recovered
    GROUP BY b.instance_id, b.vm_state
), pick AS (
    (SELECT 'stopped' AS kind, instance_id FROM per WHERE vm_state = 'stopped' AND known
     ORDER BY hours DESC, instance_id LIMIT 1)
    UNION ALL
    (SELECT 'shelved' AS kind, instance_id FROM per WHERE vm_state IN ('shelved', 'shelved_offloaded') AND known
     ORDER BY hours DESC, instance_id LIMIT 1)
)
SELECT p.kind,
       p.instance_id::text                                     AS instance_id,
       s.name,
       min(b.flavor)                                           AS flavor,
       (SELECT string_agg(x.vm_state || ' ' || round(x.hours, 1), ', ' ORDER BY x.hours DESC)
        FROM per x WHERE x.instance_id = p.instance_id)        AS states,
       round(sum(b.hours), 1)                                  AS hours,
       round(sum(b.vcpu_hours), 1)                             AS vcpu_hours,
       round(sum(b.ram_gb_hours), 1)                           AS ram_gb_hours,
       round(sum(b.disk_gb_hours), 1)                          AS disk_gb_hours,
       round(sum(b.billable_vcpu_hours), 1)                    AS billable_vcpu_hours,
       round(sum(b.billable_ram_gb_hours), 1)                  AS billable_ram_gb_hours,
       round(sum(b.billable_disk_gb_hours), 1)                 AS billable_disk_gb_hours,
       min(b.billing_policy)                                   AS billing_policy
FROM pick p
JOIN report.server_usage_billable b ON b.cloud = :key AND b.instance_id = p.instance_id AND NOT b.recovered
JOIN metrics.cloud c ON c.cloud_key = :key
LEFT JOIN metrics.server s ON s.cloud_id = c.cloud_id AND s.instance_id = p.instance_id
GROUP BY p.kind, p.instance_id, s.name
ORDER BY p.kind DESC

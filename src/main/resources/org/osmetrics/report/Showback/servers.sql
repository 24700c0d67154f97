-- The month's top servers of every project by vCPU-hours (ties by id), summed exactly from report.server_usage.
SELECT project_id, instance_id, name, flavors, state, server_hours, vcpu_hours, ram_gb_hours
FROM (SELECT tenant_id                                                  AS project_id,
             instance_id,
             max(name)                                                  AS name,
             string_agg(DISTINCT flavor, ', ' ORDER BY flavor)          AS flavors,
             max(state)                                                 AS state,
             trim_scale(sum(hours::numeric))                            AS server_hours,
             trim_scale(sum(hours::numeric * vcpus))                    AS vcpu_hours,
             trim_scale(sum(hours::numeric * memory_mb) * 0.0009765625) AS ram_gb_hours,
             row_number() OVER (PARTITION BY tenant_id
                                ORDER BY sum(hours::numeric * vcpus) DESC, instance_id) AS rank
      FROM report.server_usage
      WHERE cloud = :cloud AND window_start >= :from AND window_start < :to
      GROUP BY tenant_id, instance_id) s
WHERE rank <= :top
ORDER BY project_id, rank

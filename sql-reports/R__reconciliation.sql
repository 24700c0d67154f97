-- report.reconciliation: do our stored figures add up to what Nova reported?
-- One row per cloud, project and extracted range for which Nova reported totals (metrics.nova_totals).
-- "ours" is recomputed from the usage facts as they are now (after any applied restatement), the way
-- Nova computes its totals: each server's hours from the whole microseconds of its windows, then IEEE
-- double sums in Nova's order (by instance id), so a range that was loaded as Nova saw it differs by 0.
--
--   cloud, project_id, project_name, range_start, range_end, provisional
--   nova_server_count, our_server_count                  servers listed / servers with facts
--   nova_hours, our_hours, hours_difference              total_hours (difference = ours - Nova's)
--   nova_vcpu_hours, our_vcpu_hours, vcpu_hours_difference               total_vcpus_usage
--   nova_memory_mb_hours, our_memory_mb_hours, memory_mb_hours_difference total_memory_mb_usage
--   nova_local_gb_hours, our_local_gb_hours, local_gb_hours_difference   total_local_gb_usage
--   matches            true when the counts and all four totals are equal
--   matched_at_load    the loader's verdict when it loaded the range (double sums in API order)
DROP VIEW IF EXISTS report.reconciliation;
CREATE VIEW report.reconciliation AS
SELECT c.cloud_key                                    AS cloud,
       nt.project_id,
       p.name                                         AS project_name,
       nt.range_start,
       nt.range_end,
       nt.provisional,
       nt.server_count                                AS nova_server_count,
       coalesce(o.server_count, 0)                    AS our_server_count,
       nt.total_hours                                 AS nova_hours,
       coalesce(o.hours, 0)                           AS our_hours,
       coalesce(o.hours, 0) - nt.total_hours          AS hours_difference,
       nt.total_vcpus_usage                           AS nova_vcpu_hours,
       coalesce(o.vcpu_hours, 0)                      AS our_vcpu_hours,
       coalesce(o.vcpu_hours, 0) - nt.total_vcpus_usage AS vcpu_hours_difference,
       nt.total_memory_mb_usage                       AS nova_memory_mb_hours,
       coalesce(o.memory_mb_hours, 0)                 AS our_memory_mb_hours,
       coalesce(o.memory_mb_hours, 0) - nt.total_memory_mb_usage AS memory_mb_hours_difference,
       nt.total_local_gb_usage                        AS nova_local_gb_hours,
       coalesce(o.local_gb_hours, 0)                  AS our_local_gb_hours,
       coalesce(o.local_gb_hours, 0) - nt.total_local_gb_usage AS local_gb_hours_difference,
       (nt.server_count = coalesce(o.server_count, 0)
        AND nt.total_hours = coalesce(o.hours, 0)
        AND nt.total_vcpus_usage = coalesce(o.vcpu_hours, 0)
        AND nt.total_memory_mb_usage = coalesce(o.memory_mb_hours, 0)
        AND nt.total_local_gb_usage = coalesce(o.local_gb_hours, 0)) AS matches,
       nt.matches                                     AS matched_at_load
FROM metrics.nova_totals nt
JOIN metrics.cloud c ON c.cloud_id = nt.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = nt.cloud_id AND p.project_id = nt.project_id
LEFT JOIN LATERAL (
    SELECT count(DISTINCT s.instance_id)                                AS server_count,
           sum(s.hours ORDER BY s.instance_id, s.flavor_id)            AS hours,
           sum(s.hours * s.vcpus ORDER BY s.instance_id, s.flavor_id)  AS vcpu_hours,
           sum(s.hours * s.memory_mb ORDER BY s.instance_id, s.flavor_id) AS memory_mb_hours,
           sum(s.hours * s.local_gb ORDER BY s.instance_id, s.flavor_id)  AS local_gb_hours
    FROM metrics.server_hours_in_range(nt.cloud_id, nt.project_id, nt.range_start, nt.range_end,
                                       c.window_seconds) s) o ON true;

COMMENT ON VIEW report.reconciliation IS
    'Per cloud, project and extracted range: Nova''s reported totals, ours recomputed from the facts, their differences, matches.';
GRANT SELECT ON report.reconciliation TO os_metrics_reader;

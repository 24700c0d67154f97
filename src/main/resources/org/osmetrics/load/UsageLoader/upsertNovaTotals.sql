INSERT INTO metrics.nova_totals AS n
       (cloud_id, project_id, range_start, range_end, server_count, total_hours, total_vcpus_usage,
        total_memory_mb_usage, total_local_gb_usage, our_hours, our_vcpus_usage, our_memory_mb_usage,
        our_local_gb_usage, matches, provisional, run_id)
VALUES (:cloud, :project, :start, :end, :serverCount, :totalHours, :totalVcpus, :totalMemory, :totalDisk,
        :ourHours, :ourVcpus, :ourMemory, :ourDisk, :matches, :provisional, :run)
ON CONFLICT (cloud_id, project_id, range_start) DO UPDATE SET
    range_end = excluded.range_end, server_count = excluded.server_count, total_hours = excluded.total_hours,
    total_vcpus_usage = excluded.total_vcpus_usage, total_memory_mb_usage = excluded.total_memory_mb_usage,
    total_local_gb_usage = excluded.total_local_gb_usage, our_hours = excluded.our_hours,
    our_vcpus_usage = excluded.our_vcpus_usage, our_memory_mb_usage = excluded.our_memory_mb_usage,
    our_local_gb_usage = excluded.our_local_gb_usage, matches = excluded.matches,
    provisional = excluded.provisional, run_id = excluded.run_id
WHERE n.provisional OR :restate

-- the timed COPY; <table>: a table made here
COPY <table> (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus, memory_mb, local_gb,
hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id) FROM STDIN

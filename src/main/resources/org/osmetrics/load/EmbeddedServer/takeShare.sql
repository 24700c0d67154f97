-- a process's lease: its share of the leases' lock, held by its session while it runs
SELECT pg_try_advisory_lock_shared(:class, :key)

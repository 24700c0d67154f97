-- free only when no other process holds a share: then this one is the last to leave
SELECT pg_try_advisory_lock(:class, :key)

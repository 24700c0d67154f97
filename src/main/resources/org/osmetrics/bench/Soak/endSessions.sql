-- the sessions of one login (:user), or every session but this one's (:user null)
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND (CAST(:user AS text) IS NULL OR usename = :user)

-- The per-cloud run lock, out of reach of the report readers (issue #19). It used to be a session advisory
-- lock on a key anyone could compute (pg_advisory_lock is open to every role): any login, the read-only one
-- included, could take it and make every run exit 6.
--
-- Now a run holds the row of its cloud here: holder_pid is the backend of the run's lock session, which holds
-- a session advisory lock on (x'6f736d65', holder_key), a random key chosen by that run. The row counts as held
-- only while that very backend holds that very key (pg_locks, readable by every role), so the lock is
-- released by PostgreSQL when the run's session ends (a killed run included), no transaction stays open during
-- the run, and a reader who copies the key from pg_locks gains nothing: the row names the run's own backend.
-- The row itself is changed in short transactions by the pipeline only: readers have no right on this table
-- (and cannot lock it: LOCK TABLE needs privileges on it).
CREATE TABLE metrics.run_lock (
    cloud_key    text PRIMARY KEY,
    holder_pid   integer,
    holder_key   integer CHECK (holder_key >= 0),
    acquired_at  timestamptz,
    CHECK ((holder_pid IS NULL) = (holder_key IS NULL))
);
REVOKE ALL ON metrics.run_lock FROM PUBLIC;

COMMENT ON TABLE metrics.run_lock IS
    'Per cloud: the backend (pid) and random advisory key of the run holding the cloud''s run lock; held while that backend holds that key.';

-- Whether a holder (pid, key) still holds the lock: its session is alive and holds its advisory key.
-- SECURITY INVOKER and reading only pg_locks: any role may call it, it reveals nothing of the table.
CREATE FUNCTION metrics.run_lock_alive(holder_pid integer, holder_key integer) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT holder_pid IS NOT NULL AND EXISTS (
        SELECT 1
        FROM pg_catalog.pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
          AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
          AND l.classid = x'6f736d65'::integer::oid AND l.objid = holder_key::oid AND l.pid = holder_pid)
$$;
REVOKE ALL ON FUNCTION metrics.run_lock_alive(integer, integer) FROM PUBLIC;

-- Partition creation, which used to be serialised by a transaction advisory lock on a fixed key ('osmp') that
-- any role could hold for as long as it liked, making every load wait. Now it is serialised by the lock on the
-- parent table itself, which CREATE TABLE ... PARTITION OF takes anyway (ACCESS EXCLUSIVE) and which no role
-- without rights on metrics.usage_fact can take. The caller sets lock_timeout (a reader's long transaction over
-- the report views holds the parent's ACCESS SHARE lock): the wait is bounded and fails with a clear message.
-- SECURITY DEFINER: a loader that does not own the fact table can create its months (creating a partition needs
-- the parent's owner), and only those: the name and bounds are built from the month here.
CREATE FUNCTION metrics.create_usage_fact_partition(month_start date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    part text := format('usage_fact_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
BEGIN
    IF month_start IS NULL OR extract(day FROM month_start) <> 1 THEN
        RAISE EXCEPTION 'a partition of metrics.usage_fact starts on the first day of a month, not on %', month_start;
    END IF;
    IF to_regclass('metrics.' || part) IS NOT NULL THEN
        RETURN false;
    END IF;
    LOCK TABLE ONLY metrics.usage_fact IN ACCESS EXCLUSIVE MODE;
    -- another load may have created it while this one waited for the lock
    IF to_regclass('metrics.' || part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE metrics.%I PARTITION OF metrics.usage_fact FOR VALUES FROM (%L) TO (%L)', part,
                   to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                   to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION metrics.create_usage_fact_partition(date) FROM PUBLIC;

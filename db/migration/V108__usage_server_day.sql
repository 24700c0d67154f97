-- metrics.usage_server_day: the servers with facts, per cloud, project and UTC day, with the first and the last
-- window they have in it. report.project_usage_monthly and project_usage_daily count their servers here instead of
-- in the facts (at 10,000 servers hourly, 310,000 rows for a month instead of 7.44 million; BENCHMARKS.md).
-- A billing time zone cuts a UTC day at most once for a month or a (23 to 25 hour) local day (issue #20): a server
-- has a fact at or after a cut when its last window is, before it when its first window is. The views handle the
-- one case this does not decide (a period strictly inside a UTC day, with windows on both sides: a zone whose
-- offset lies between -1 h and 0 on a short day; none since 1972) by asking the facts.
--
-- Kept equal to the facts as metrics.usage_rollup is (V83): by the statement triggers below, whatever writes them
-- through the fact table, in the writer's transaction; the loader's COPY of a fresh range straight into its month's
-- partition (where they do not fire) adds its server days itself (UsageLoader, addFreshServerDays.sql). A change is
-- counted per server day (facts); a server day whose count reaches 0 is removed, one that lost its first or last
-- window takes the window one grid step inside when that one is a fact, else both again from the day's facts, and a
-- count below 0 (out of step with the facts) fails the statement.
CREATE TABLE metrics.usage_server_day (
    cloud_id      integer     NOT NULL,
    day           date        NOT NULL,  -- the UTC day the windows start in
    project_id    text        NOT NULL,
    instance_id   uuid        NOT NULL,
    first_window  timestamptz NOT NULL,  -- the earliest window_start of the server's facts of the day in the project
    last_window   timestamptz NOT NULL,  -- the latest
    facts         integer     NOT NULL,  -- > 0 once the trigger is done (a row of its netting may be <= 0)
    -- day first: the reports read one month or day of a cloud
    PRIMARY KEY (cloud_id, day, project_id, instance_id)
);

COMMENT ON TABLE metrics.usage_server_day IS
    'The servers with facts in metrics.usage_fact per cloud, UTC day and project, with their first and last window of the day (kept by triggers).';

-- One function for the three triggers: the facts a statement added and removed, netted per fact and project (an
-- update that keeps a fact's project changes nothing here), counted per server day; then, in each UTC day that lost
-- facts, the checks and the repairs above (the loop runs once per day: one or two for a load).
CREATE FUNCTION metrics.usage_server_day_follow() RETURNS trigger
LANGUAGE plpgsql AS
$$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT f.cloud_id, f.project_id, f.instance_id, f.window_start, 1 AS delta FROM new_facts f'
        WHEN 'DELETE' THEN 'SELECT f.cloud_id, f.project_id, f.instance_id, f.window_start, -1 AS delta FROM old_facts f'
        ELSE 'SELECT n.cloud_id, n.project_id, n.instance_id, n.window_start, sum(n.delta) AS delta'
             ' FROM (SELECT f.cloud_id, f.project_id, f.instance_id, f.window_start, -1 AS delta FROM old_facts f'
             '       UNION ALL'
             '       SELECT f.cloud_id, f.project_id, f.instance_id, f.window_start, 1 FROM new_facts f) n'
             ' GROUP BY n.cloud_id, n.project_id, n.instance_id, n.window_start'
             ' HAVING sum(n.delta) <> 0'
    END;
    d record;
    step interval;
BEGIN
    EXECUTE format($sql$
        INSERT INTO metrics.usage_server_day AS s
               (cloud_id, day, project_id, instance_id, first_window, last_window, facts)
        SELECT c.cloud_id, (c.window_start AT TIME ZONE 'UTC')::date, c.project_id, c.instance_id,
               coalesce(min(c.window_start) FILTER (WHERE c.delta > 0), 'infinity'),
               coalesce(max(c.window_start) FILTER (WHERE c.delta > 0), '-infinity'),
               sum(c.delta)
        FROM (%s) c
        GROUP BY c.cloud_id, (c.window_start AT TIME ZONE 'UTC')::date, c.project_id, c.instance_id
        ON CONFLICT (cloud_id, day, project_id, instance_id)
        DO UPDATE SET facts        = s.facts + excluded.facts,
                      first_window = LEAST(s.first_window, excluded.first_window),
                      last_window  = GREATEST(s.last_window, excluded.last_window)
        $sql$, changes);
    IF TG_OP = 'INSERT' THEN
        RETURN NULL;
    END IF;
    FOR d IN EXECUTE format('SELECT DISTINCT c.cloud_id, (c.window_start AT TIME ZONE ''UTC'')::date AS day'
                            ' FROM (%s) c WHERE c.delta < 0', changes) LOOP
        IF EXISTS (SELECT 1 FROM metrics.usage_server_day s
                   WHERE s.cloud_id = d.cloud_id AND s.day = d.day AND s.facts < 0) THEN
            RAISE EXCEPTION 'metrics.usage_server_day is out of step with metrics.usage_fact (a count below 0)';
        END IF;
        DELETE FROM metrics.usage_server_day s WHERE s.cloud_id = d.cloud_id AND s.day = d.day AND s.facts = 0;
        -- a server day whose last (first) window is no longer a fact, when the window one grid step before (after)
        -- it is: that one, by probes of the fact key (a run replacing the open windows at the end of a day)
        SELECT make_interval(secs => c.window_seconds) INTO step FROM metrics.cloud c WHERE c.cloud_id = d.cloud_id;
        UPDATE metrics.usage_server_day s
        SET last_window = s.last_window - step
        WHERE s.cloud_id = d.cloud_id AND s.day = d.day AND s.last_window - step >= s.first_window
          AND NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                          WHERE f.cloud_id = s.cloud_id AND f.window_start = s.last_window
                            AND f.instance_id = s.instance_id AND f.project_id = s.project_id)
          AND EXISTS (SELECT 1 FROM metrics.usage_fact f
                      WHERE f.cloud_id = s.cloud_id AND f.window_start = s.last_window - step
                        AND f.instance_id = s.instance_id AND f.project_id = s.project_id);
        UPDATE metrics.usage_server_day s
        SET first_window = s.first_window + step
        WHERE s.cloud_id = d.cloud_id AND s.day = d.day AND s.first_window + step <= s.last_window
          AND NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                          WHERE f.cloud_id = s.cloud_id AND f.window_start = s.first_window
                            AND f.instance_id = s.instance_id AND f.project_id = s.project_id)
          AND EXISTS (SELECT 1 FROM metrics.usage_fact f
                      WHERE f.cloud_id = s.cloud_id AND f.window_start = s.first_window + step
                        AND f.instance_id = s.instance_id AND f.project_id = s.project_id);
        -- any other server day whose first or last window is no longer a fact (two probes of the fact key each):
        -- the day's first and last windows taken again from its facts, in one pass over them
        IF EXISTS (SELECT 1 FROM metrics.usage_server_day s
                   WHERE s.cloud_id = d.cloud_id AND s.day = d.day
                     AND NOT (EXISTS (SELECT 1 FROM metrics.usage_fact f
                                      WHERE f.cloud_id = s.cloud_id AND f.window_start = s.first_window
                                        AND f.instance_id = s.instance_id AND f.project_id = s.project_id)
                              AND EXISTS (SELECT 1 FROM metrics.usage_fact f
                                          WHERE f.cloud_id = s.cloud_id AND f.window_start = s.last_window
                                            AND f.instance_id = s.instance_id AND f.project_id = s.project_id))) THEN
            UPDATE metrics.usage_server_day s
            SET first_window = t.first_window, last_window = t.last_window
            FROM (SELECT f.project_id, f.instance_id, min(f.window_start) AS first_window,
                         max(f.window_start) AS last_window
                  FROM metrics.usage_fact f
                  WHERE f.cloud_id = d.cloud_id
                    AND f.window_start >= d.day::timestamp AT TIME ZONE 'UTC'
                    AND f.window_start < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
                  GROUP BY f.project_id, f.instance_id) t
            WHERE s.cloud_id = d.cloud_id AND s.day = d.day
              AND s.project_id = t.project_id AND s.instance_id = t.instance_id
              AND (s.first_window <> t.first_window OR s.last_window <> t.last_window);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER usage_server_day_insert AFTER INSERT ON metrics.usage_fact
    REFERENCING NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_server_day_follow();
CREATE TRIGGER usage_server_day_update AFTER UPDATE ON metrics.usage_fact
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_server_day_follow();
CREATE TRIGGER usage_server_day_delete AFTER DELETE ON metrics.usage_fact
    REFERENCING OLD TABLE AS old_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_server_day_follow();

-- the facts loaded before this migration (one pass over the fact table)
INSERT INTO metrics.usage_server_day (cloud_id, day, project_id, instance_id, first_window, last_window, facts)
SELECT cloud_id, (window_start AT TIME ZONE 'UTC')::date, project_id, instance_id, min(window_start),
       max(window_start), count(*)
FROM metrics.usage_fact
GROUP BY cloud_id, (window_start AT TIME ZONE 'UTC')::date, project_id, instance_id;

-- per-project access (V86): a tenant sees the server days of its projects only, like their facts
CREATE POLICY project_access ON metrics.usage_server_day USING (
    (SELECT pg_has_role(current_user, 'os_metrics_reader', 'USAGE') OR has_schema_privilege(current_user, 'metrics', 'USAGE'))
    OR (cloud_id, project_id) IN (SELECT a.cloud_id, a.project_id FROM metrics.project_access a
                                  JOIN pg_catalog.pg_roles r ON r.oid = a.role_oid
                                  WHERE pg_has_role(current_user, r.oid, 'USAGE')));
ALTER TABLE metrics.usage_server_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics.usage_server_day FORCE ROW LEVEL SECURITY;

-- The clouds' statistics: autovacuum never analyses a table this small, and without them the planner takes 700
-- clouds for one, costs the per-project reports ten times too high and spends part of a second JIT-compiling them.
-- (An empty table analysed here is taken for a page of clouds later: still few.)
ANALYZE metrics.cloud;

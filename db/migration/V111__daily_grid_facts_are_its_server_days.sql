-- A cloud on a one-day grid keeps no rows in metrics.usage_server_day (V108): each of its facts is one server's
-- whole UTC day already (window_start the day, first and last window the same), so the table held a second copy
-- of its fact table, written row for row with it: on the daily grid that doubled the load's writes (issue #20
-- target 2, BENCHMARKS.md round 5d). report.project_usage_monthly and _daily count such a cloud's servers from its
-- facts instead (one row per server and day either way). The grid of a cloud is fixed once it has data
-- (CloudRepository), so a cloud never moves between the two.
--
-- The triggers' function as in V108, with the facts of one-day clouds left out of what it counts; the loader's
-- fresh COPY path adds no server days for them either (BatchLoad).
CREATE OR REPLACE FUNCTION metrics.usage_server_day_follow() RETURNS trigger
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
    -- the facts of clouds on a grid finer than a day only: a one-day grid's facts are its server days
    changes := 'SELECT x.* FROM (' || changes || ') x'
               ' WHERE x.cloud_id IN (SELECT k.cloud_id FROM metrics.cloud k WHERE k.window_seconds < 86400)';
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

-- the server days recorded before for clouds on a one-day grid
DELETE FROM metrics.usage_server_day s
USING metrics.cloud c
WHERE c.cloud_id = s.cloud_id AND c.window_seconds = 86400;

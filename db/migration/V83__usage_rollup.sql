-- metrics.usage_rollup: the facts of each window counted per cloud, project, flavor, sizes, hours value and
-- provisional flag. Most windows of a project hold the same few (flavor, hours) values, so a month of it has
-- a few rows per project and window where the fact table has one per server and window: report.invoice_monthly
-- reads this instead of the facts (at 10,000 servers, 74,400 rows for a month instead of 7.44 million;
-- BENCHMARKS.md). Its quantities are exact: count x hours is what summing the facts one by one gives.
--
-- It is kept equal to the facts by the statement triggers below, whatever writes them through the fact table
-- (COPY, INSERT, the upsert's inserts and updates, deletes), in the writer's transaction: it can never show a
-- window that was not committed. The one writer that goes around them is the loader's COPY of a fresh range
-- straight into its month's partition (a partition does not fire the table's statement triggers): it adds
-- the counts itself, in the same transaction (UsageLoader, addFreshRollup.sql), at a fraction of the cost. A change is netted per group: after an update or delete, a group whose count reaches 0 is
-- removed, and a count below 0 (the rollup out of step with the facts) fails the statement.
CREATE TABLE metrics.usage_rollup (
    window_start  timestamptz      NOT NULL,
    cloud_id      integer          NOT NULL,
    project_id    text             NOT NULL,
    flavor_id     integer          NOT NULL,
    vcpus         integer          NOT NULL,
    memory_mb     integer          NOT NULL,
    local_gb      integer          NOT NULL,
    hours         double precision NOT NULL,
    provisional   boolean          NOT NULL,
    facts         bigint           NOT NULL,  -- > 0 once the trigger is done (a row of its netting may be < 0)
    -- window first: the invoice reads one month of every cloud
    PRIMARY KEY (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional)
);

COMMENT ON TABLE metrics.usage_rollup IS
    'The facts of metrics.usage_fact counted per window, cloud, project, flavor, sizes, hours and provisional flag (kept by triggers).';

-- One function for the three triggers: the rows a statement added count +1 each, the rows it removed or
-- replaced -1 each (transition tables: one pass over the changed rows, none over the table).
CREATE FUNCTION metrics.usage_rollup_follow() RETURNS trigger
LANGUAGE plpgsql AS
$$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT f.*, 1 AS delta FROM new_facts f'
        WHEN 'DELETE' THEN 'SELECT f.*, -1 AS delta FROM old_facts f'
        ELSE 'SELECT f.*, -1 AS delta FROM old_facts f UNION ALL SELECT f.*, 1 FROM new_facts f'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO metrics.usage_rollup AS r
               (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, facts)
        SELECT c.window_start, c.cloud_id, c.project_id, c.flavor_id, c.vcpus, c.memory_mb, c.local_gb, c.hours,
               c.provisional, sum(c.delta)
        FROM (%s) c
        GROUP BY c.window_start, c.cloud_id, c.project_id, c.flavor_id, c.vcpus, c.memory_mb, c.local_gb, c.hours,
                 c.provisional
        HAVING sum(c.delta) <> 0
        ON CONFLICT (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional)
        DO UPDATE SET facts = r.facts + excluded.facts
        $sql$, changes);
    IF TG_OP <> 'INSERT' THEN
        -- only rows removed or replaced lower a count: the groups to look at are in their windows
        IF EXISTS (SELECT 1
                   FROM metrics.usage_rollup r
                   JOIN (SELECT DISTINCT window_start, cloud_id FROM old_facts) o
                     ON r.window_start = o.window_start AND r.cloud_id = o.cloud_id
                   WHERE r.facts < 0) THEN
            RAISE EXCEPTION 'metrics.usage_rollup is out of step with metrics.usage_fact (a count below 0)';
        END IF;
        DELETE FROM metrics.usage_rollup r
        USING (SELECT DISTINCT window_start, cloud_id FROM old_facts) o
        WHERE r.window_start = o.window_start AND r.cloud_id = o.cloud_id AND r.facts = 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER usage_rollup_insert AFTER INSERT ON metrics.usage_fact
    REFERENCING NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_rollup_follow();
CREATE TRIGGER usage_rollup_update AFTER UPDATE ON metrics.usage_fact
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_rollup_follow();
CREATE TRIGGER usage_rollup_delete AFTER DELETE ON metrics.usage_fact
    REFERENCING OLD TABLE AS old_facts
    FOR EACH STATEMENT EXECUTE FUNCTION metrics.usage_rollup_follow();

-- the facts loaded before this migration (one pass over the fact table)
INSERT INTO metrics.usage_rollup
       (window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, facts)
SELECT window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional, count(*)
FROM metrics.usage_fact
GROUP BY window_start, cloud_id, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional;

-- The rate card's statistics, which `rates import` now keeps (RateCardRepository): autovacuum never analyses
-- a table this small, and without them the planner costs the invoice a thousand times too high and spends
-- about a second JIT-compiling it.
ANALYZE metrics.rate_card;

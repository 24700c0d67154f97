-- Which ranges of a batch meet nothing recorded, before anything of the batch is written: their facts go
-- straight into the fact table (copied), because the staged statements would insert every one of them as
-- it is, record no restatement and delete nothing. That holds for a range when nothing of the cloud is
-- recorded in it (no fact: one probe of the key, which leads with cloud and window; no extracted range of
-- any scope overlapping it), and, for a range of one project that holds only that project's servers, when
-- the range meets no fact of that project, no extracted range of that project or of all projects, and no
-- fact of one of its servers. A fact of a server lies between the server's first_seen and last_seen (loads
-- widen them and never delete a server), so the last test reads metrics.server by key. The cloud's run lock
-- keeps this true until the commit.
WITH server_seen AS (
    -- driven by the staged servers, one probe of the server key each
    SELECT DISTINCT s.doc
    FROM stage_batch_server s
    JOIN stage_batch_range r ON r.doc = s.doc
    WHERE EXISTS (SELECT 1 FROM metrics.server v
                  WHERE v.cloud_id = :cloud AND v.instance_id = s.instance_id
                    AND v.first_seen < r.range_end AND v.last_seen > r.range_start)
)
UPDATE stage_batch_range d
SET fresh = CASE WHEN d.own_project THEN
        NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                    WHERE f.cloud_id = :cloud AND f.project_id = d.project_id
                      AND f.window_start >= d.range_start AND f.window_start < d.range_end)
        AND NOT EXISTS (SELECT 1 FROM metrics.extracted_range x
                        WHERE x.cloud_id = :cloud AND (x.scope = '*' OR x.scope = d.project_id)
                          AND x.range_start < d.range_end AND x.range_end > d.range_start)
        AND d.doc NOT IN (SELECT doc FROM server_seen)
    ELSE
        NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                    WHERE f.cloud_id = :cloud AND f.window_start >= d.range_start AND f.window_start < d.range_end)
        AND NOT EXISTS (SELECT 1 FROM metrics.extracted_range x
                        WHERE x.cloud_id = :cloud AND x.range_start < d.range_end AND x.range_end > d.range_start)
    END
RETURNING d.doc, d.fresh

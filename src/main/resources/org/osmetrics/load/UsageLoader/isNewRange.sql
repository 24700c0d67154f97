-- True when nothing of the cloud is recorded in [start, end) yet: no fact (one probe of the key, which leads
-- with cloud and window) and no extracted range of any scope overlapping it. Then the staged upsert would
-- insert every fact as it is, record no restatement and delete nothing, so the facts are copied straight
-- into the fact table instead. The cloud's run lock keeps this true until the commit.
SELECT NOT EXISTS (SELECT 1 FROM metrics.usage_fact f
                   WHERE f.cloud_id = :cloud AND f.window_start >= :start AND f.window_start < :end)
   AND NOT EXISTS (SELECT 1 FROM metrics.extracted_range x
                   WHERE x.cloud_id = :cloud AND x.range_start < :end AND x.range_end > :start)

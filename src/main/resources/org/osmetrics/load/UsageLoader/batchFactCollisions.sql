-- True when a staged fact of a project's range is recorded under another project (a server that moved): that
-- row is read by the other project's range of the batch too, so the order of the loads matters and the
-- staged ranges are loaded one after the other instead of all at once.
SELECT EXISTS (SELECT 1
               FROM stage_batch_fact s
               JOIN stage_batch_range d ON d.doc = s.doc
               JOIN metrics.usage_fact f
                 ON f.cloud_id = :cloud AND f.instance_id = s.instance_id AND f.window_start = s.window_start
               WHERE NOT d.all_projects AND f.project_id <> d.project_id)

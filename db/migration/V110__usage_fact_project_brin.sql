-- A project's facts of a period without reading the period's whole partition (issue #20: server_usage of one project
-- and month). The fact key is (cloud_id, window_start, instance_id), and a btree on the project cost a third of every
-- load (V80 removed one). The loader writes a range's facts grouped by project (Nova lists them per tenant), so a
-- BRIN index of the project id finds a project's pages among a month's for almost no load cost. Pages written since
-- the last summary are summarised by any VACUUM of the partition (autovacuum's, which inserts alone start) or by
-- brin_summarize_new_values(); until then a query reads them as it would without the index. The planner picks the
-- index once the partition has statistics (autovacuum's ANALYZE, or an explicit one). No autosummarize: where
-- autovacuum is off, each new block range would log that its summary request was not recorded.
CREATE INDEX usage_fact_project_brin ON metrics.usage_fact USING brin (project_id)
    WITH (pages_per_range = 32);

-- Every load updates the row of each server it lists (last_seen moves with each range), so metrics.server is
-- rewritten once per range: 2,000 servers x 30 days left 76,000 dead row versions (12 MB for 2,000 rows) on
-- a server without autovacuum, and only 0.6% of the updates were HOT. With half of each page free, an update
-- lands on the row's own page (HOT: no index entry), and the next one prunes the versions before it, so the
-- table stays near its live size whatever vacuum does (BENCHMARKS.md).
ALTER TABLE metrics.server SET (fillfactor = 50);

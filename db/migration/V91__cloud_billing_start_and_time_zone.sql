-- Per cloud billing settings (`os-metrics clouds set KEY --billing-start DATE --time-zone ZONE`).
--
-- billing_start: the first instant the cloud is billed from (a window start of its grid; null: not set).
--   Coverage gaps and completeness are counted from it: what lies before it is history (an old archive imported
--   into the live cloud is shown where it was loaded, but its gaps are not reported as missing windows).
--   With no billing start, the span starts at the first extracted window and every window of a period is expected.
-- time_zone: the IANA zone the days and months of reports and invoices are cut in; windows stay UTC. A zone other
--   than UTC needs a grid that divides every offset the zone has had since the billing start (a 1h grid for
--   whole-hour zones); `clouds set` checks it.
ALTER TABLE metrics.cloud
    ADD COLUMN billing_start timestamptz,
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

-- metrics.billing_month: every month of every cloud in the cloud's billing time zone (metrics.cloud.time_zone, UTC
-- unless set), from 2000 to the current one, as the instants [month_start, month_end): the months that
-- report.project_usage_*, invoice_monthly, priced_usage, the billable and the rollup views are cut by. A plain
-- view, inlined where it is used, so a condition on a month there still reads only that month's partition.
-- (This file's name sorts first: Flyway applies repeatable migrations in the order of their descriptions. The
-- views depend on it: it is replaced in place, so a change may add columns at the end only.)
--
--   cloud_id, time_zone   the cloud and its billing time zone
--   month_local           the month's first day at 00:00 in that zone (a timestamp without time zone)
--   month_start, month_end  the month as instants, [start, end)
--   window_seconds        the cloud's window grid
CREATE OR REPLACE VIEW metrics.billing_month AS
SELECT cm.cloud_id,
       cm.time_zone,
       g                                                 AS month_local,
       g AT TIME ZONE cm.time_zone                       AS month_start,
       (g + interval '1 month') AT TIME ZONE cm.time_zone AS month_end,
       cm.window_seconds
FROM metrics.cloud cm
CROSS JOIN LATERAL generate_series(timestamp '2000-01-01', date_trunc('month', now() AT TIME ZONE cm.time_zone),
                                   interval '1 month') AS g;

COMMENT ON VIEW metrics.billing_month IS
    'Every month of every cloud in its billing time zone, as the instants [month_start, month_end).';

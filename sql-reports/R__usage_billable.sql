-- The billable views (issue #16; README, "Billing policy"): the usage split by the state each server was in
-- (report.server_usage_by_state, from the servers' timelines) and what the cloud's billing policy bills of it.
-- This file is applied after R__server_usage_by_state.sql (repeatable migrations run in the order of their names).
--
-- Which policy: the version of the cloud's billing policy (metrics.billing_policy, `os-metrics policy import`) in
-- force at each window's start. A state the version does not list is billed in full; with no version in force
-- everything is billed in every state (Nova's view). Recovered hours (hours Nova dropped after a resize, unshelve,
-- rebuild or rescue, recovered from a timeline) are rows of their own with recovered = true, never on top of a fact:
-- billed only where the version's line for their state says recovered = yes (never with no policy).
--
-- Quantities are exact decimals, as in the usage views: vcpu_hours = hours x vcpus, ram_gb_hours = hours x
-- memory_mb / 1024, disk_gb_hours = hours x local_gb; flavor_hours = the server-hours a flavor_hour price bills.
-- billable_* are those quantities where the policy bills the resource, else 0. report.invoice_monthly prices the
-- same billable quantities.

-- report.server_usage_billable: per server, window and state (and recovered or not).
--   cloud, window_start, window_end, instance_id, project_id, project_name, flavor
--   vm_state       the state of that part of the window (Nova's vm_state names)
--   state_known    false where no timeline covers the time: the hours are Nova's view (active)
--   recovered      true for hours Nova dropped and os-metrics recovered (never on top of a fact)
--   hours, vcpu_hours, ram_gb_hours, disk_gb_hours   the quantities spent in that state
--   billable_vcpu_hours, billable_ram_gb_hours, billable_disk_gb_hours, billable_flavor_hours   what the policy bills
--   billing_policy the version applied: its file and validity; null when none (Nova's view)
DROP VIEW IF EXISTS report.project_billable_monthly;
DROP VIEW IF EXISTS report.project_billable_daily;
DROP VIEW IF EXISTS report.server_usage_billable;
CREATE VIEW report.server_usage_billable AS
SELECT s.cloud_key                                                  AS cloud,
       s.cloud_id,
       s.window_start,
       s.window_end,
       s.instance_id,
       s.project_id,
       p.name                                                       AS project_name,
       s.flavor,
       s.vm_state,
       s.state_known,
       s.recovered,
       s.hours,
       s.vcpu_hours,
       s.memory_mb_hours * 0.0009765625                             AS ram_gb_hours,
       s.local_gb_hours                                             AS disk_gb_hours,
       CASE WHEN b.vcpu_hour THEN s.vcpu_hours ELSE 0 END           AS billable_vcpu_hours,
       CASE WHEN b.ram_gb_hour THEN s.memory_mb_hours * 0.0009765625 ELSE 0 END AS billable_ram_gb_hours,
       CASE WHEN b.disk_gb_hour THEN s.local_gb_hours ELSE 0 END    AS billable_disk_gb_hours,
       CASE WHEN b.flavor_hour THEN s.hours ELSE 0 END              AS billable_flavor_hours,
       pv.billing_policy
FROM report.server_usage_by_state s
LEFT JOIN metrics.project p ON p.cloud_id = s.cloud_id AND p.project_id = s.project_id
-- the version in force at the window's start, and its line for the state
LEFT JOIN LATERAL (
    SELECT bp.policy_name || ' [' || to_char(bp.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', '
           || coalesce(to_char(bp.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'open') || ')'
               AS billing_policy
    FROM metrics.billing_policy bp
    WHERE bp.cloud_id = s.cloud_id AND bp.valid_from <= s.window_start
      AND (bp.valid_to IS NULL OR bp.valid_to > s.window_start)
    LIMIT 1) pv ON true
LEFT JOIN metrics.billing_policy l
       ON l.cloud_id = s.cloud_id AND l.vm_state = s.vm_state AND l.valid_from <= s.window_start
      AND (l.valid_to IS NULL OR l.valid_to > s.window_start)
CROSS JOIN LATERAL (
    -- a fact's hours: billed unless the line says otherwise; recovered hours: only where the line bills them
    SELECT CASE WHEN s.recovered THEN coalesce(l.recovered AND l.vcpu_hour, false) ELSE coalesce(l.vcpu_hour, true) END
               AS vcpu_hour,
           CASE WHEN s.recovered THEN coalesce(l.recovered AND l.ram_gb_hour, false) ELSE coalesce(l.ram_gb_hour, true) END
               AS ram_gb_hour,
           CASE WHEN s.recovered THEN coalesce(l.recovered AND l.disk_gb_hour, false) ELSE coalesce(l.disk_gb_hour, true) END
               AS disk_gb_hour,
           CASE WHEN s.recovered THEN coalesce(l.recovered AND l.flavor_hour, false) ELSE coalesce(l.flavor_hour, true) END
               AS flavor_hour) b;

COMMENT ON VIEW report.server_usage_billable IS
    'Per server, window and vm_state (recovered hours apart): quantities and what the billing policy in force bills of them.';
GRANT SELECT ON report.server_usage_billable TO os_metrics_reader;

-- report.project_billable_daily / report.project_billable_monthly: the same per project and day / month of the
-- cloud's billing time zone (`clouds set --time-zone`), per state and recovered or not, with the version applied
-- (a day or month a version starts in has a row per version). Filter on month or month_start.
--   cloud, project_id, project_name, day and day_start (daily), month, month_start (and month_end, monthly)
--   vm_state, recovered, server_count, hours, vcpu_hours, ram_gb_hours, disk_gb_hours, billable_* as above,
--   billing_policy
CREATE VIEW report.project_billable_daily AS
SELECT c.cloud_key                                        AS cloud,
       u.project_id,
       p.name                                             AS project_name,
       (u.day_start AT TIME ZONE m.time_zone)::date       AS day,
       u.day_start,
       to_char(m.month_local, 'YYYY-MM')                   AS month,
       m.month_start,
       u.vm_state,
       u.recovered,
       u.server_count,
       u.hours,
       u.vcpu_hours,
       u.ram_gb_hours,
       u.disk_gb_hours,
       u.billable_vcpu_hours,
       u.billable_ram_gb_hours,
       u.billable_disk_gb_hours,
       u.billable_flavor_hours,
       u.billing_policy
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    SELECT b.cloud_id,
           b.project_id,
           date_trunc('day', b.window_start, m.time_zone)     AS day_start,
           b.vm_state,
           b.recovered,
           b.billing_policy,
           count(DISTINCT b.instance_id)                      AS server_count,
           trim_scale(sum(b.hours))                           AS hours,
           trim_scale(sum(b.vcpu_hours))                      AS vcpu_hours,
           trim_scale(sum(b.ram_gb_hours))                    AS ram_gb_hours,
           trim_scale(sum(b.disk_gb_hours))                   AS disk_gb_hours,
           trim_scale(sum(b.billable_vcpu_hours))             AS billable_vcpu_hours,
           trim_scale(sum(b.billable_ram_gb_hours))           AS billable_ram_gb_hours,
           trim_scale(sum(b.billable_disk_gb_hours))          AS billable_disk_gb_hours,
           trim_scale(sum(b.billable_flavor_hours))           AS billable_flavor_hours
    FROM report.server_usage_billable b
    WHERE b.window_start >= m.month_start AND b.window_start < m.month_end AND b.cloud_id = m.cloud_id
    GROUP BY b.cloud_id, b.project_id, date_trunc('day', b.window_start, m.time_zone), b.vm_state, b.recovered,
             b.billing_policy) u
JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id;

COMMENT ON VIEW report.project_billable_daily IS
    'Per cloud, project, (billing time zone) day, vm_state and recovered or not: quantities and what the billing policy bills.';
GRANT SELECT ON report.project_billable_daily TO os_metrics_reader;

CREATE VIEW report.project_billable_monthly AS
SELECT c.cloud_key                                        AS cloud,
       u.project_id,
       p.name                                             AS project_name,
       to_char(m.month_local, 'YYYY-MM')                   AS month,
       m.month_start,
       m.month_end,
       u.vm_state,
       u.recovered,
       u.server_count,
       u.hours,
       u.vcpu_hours,
       u.ram_gb_hours,
       u.disk_gb_hours,
       u.billable_vcpu_hours,
       u.billable_ram_gb_hours,
       u.billable_disk_gb_hours,
       u.billable_flavor_hours,
       u.billing_policy
FROM metrics.billing_month m
CROSS JOIN LATERAL (
    SELECT b.cloud_id,
           b.project_id,
           b.vm_state,
           b.recovered,
           b.billing_policy,
           count(DISTINCT b.instance_id)                      AS server_count,
           trim_scale(sum(b.hours))                           AS hours,
           trim_scale(sum(b.vcpu_hours))                      AS vcpu_hours,
           trim_scale(sum(b.ram_gb_hours))                    AS ram_gb_hours,
           trim_scale(sum(b.disk_gb_hours))                   AS disk_gb_hours,
           trim_scale(sum(b.billable_vcpu_hours))             AS billable_vcpu_hours,
           trim_scale(sum(b.billable_ram_gb_hours))           AS billable_ram_gb_hours,
           trim_scale(sum(b.billable_disk_gb_hours))          AS billable_disk_gb_hours,
           trim_scale(sum(b.billable_flavor_hours))           AS billable_flavor_hours
    FROM report.server_usage_billable b
    WHERE b.window_start >= m.month_start AND b.window_start < m.month_end AND b.cloud_id = m.cloud_id
    GROUP BY b.cloud_id, b.project_id, b.vm_state, b.recovered, b.billing_policy) u
JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id;

COMMENT ON VIEW report.project_billable_monthly IS
    'Per cloud, project, (billing time zone) month, vm_state and recovered or not: quantities and what the billing policy bills.';
GRANT SELECT ON report.project_billable_monthly TO os_metrics_reader;

-- A small cloud with hand-computed usage, for the report tests (expected figures in ReportViewsTest).
-- Daily windows. September and October 2026:
--   p-alpha  S1 web-1          m1.small  active since 2026-09-20, all October
--            S2 db, "primary"  m1.large  2026-10-01 .. deleted 2026-10-15T12:00Z (mid-month)
--   p-beta   S3 build          m1.small  2026-10-01, resized to m1.large at 2026-10-10T00:00Z
--            S4 =gpu-box       gpu.xl    started 2026-10-20T06:29:23.123456Z
--   p-gamma  S5 @batch         m1.small  2026-10-03T10:00Z .. 12:30Z (2.5 h)
-- Names carry quotes, commas, a newline, non-ASCII text and formula-like prefixes on purpose.
DO $$
BEGIN
    CREATE TABLE metrics.usage_fact_test_2026_09 PARTITION OF metrics.usage_fact
        FOR VALUES FROM ('2026-09-01 00:00Z') TO ('2026-10-01 00:00Z');
    CREATE TABLE metrics.usage_fact_test_2026_10 PARTITION OF metrics.usage_fact
        FOR VALUES FROM ('2026-10-01 00:00Z') TO ('2026-11-01 00:00Z');
EXCEPTION
    WHEN invalid_object_definition OR duplicate_table THEN NULL;   -- the loader's partitions cover them
END
$$;

INSERT INTO metrics.cloud (cloud_key, window_seconds) OVERRIDING SYSTEM VALUE
VALUES ('keystone.example:5000/RegionOne', 86400);

INSERT INTO metrics.run (command, arguments, cloud_id, scope, started_at, finished_at, status)
VALUES ('test', 'small-cloud.sql', 1, '*', '2026-11-01 00:00Z', '2026-11-01 00:01Z', 'succeeded');

INSERT INTO metrics.project (cloud_id, project_id, name) VALUES
    (1, 'p-alpha', 'Alpha "R&D", Ltd'),
    (1, 'p-beta', '=HYPERLINK("http://x")'),
    (1, 'p-gamma', E'Ünïcødé\nteam');

INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb) VALUES
    (1, 'm1.small', 1, 2048, 20),
    (1, 'm1.large', 4, 8192, 80),
    (1, 'gpu.xl', 8, 32768, 0);

INSERT INTO metrics.server (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime,
                            first_seen, last_seen) VALUES
    (1, '00000000-0000-0000-0000-000000000001', 'p-alpha', 'web-1', 1, '2026-09-20 00:00Z', NULL, 'active', 3628800,
     '2026-09-20 00:00Z', '2026-11-01 00:00Z'),
    (1, '00000000-0000-0000-0000-000000000002', 'p-alpha', 'db, "primary"', 2, '2026-10-01 00:00Z',
     '2026-10-15 12:00Z', 'terminated', 1252800, '2026-10-01 00:00Z', '2026-11-01 00:00Z'),
    (1, '00000000-0000-0000-0000-000000000003', 'p-beta', 'build', 2, '2026-10-10 00:00Z', NULL, 'active', 1900800,
     '2026-10-01 00:00Z', '2026-11-01 00:00Z'),
    (1, '00000000-0000-0000-0000-000000000004', 'p-beta', '=gpu-box', 3, '2026-10-20 06:29:23.123456Z', NULL,
     'shelved_offloaded', 1013436, '2026-10-20 00:00Z', '2026-11-01 00:00Z'),
    (1, '00000000-0000-0000-0000-000000000005', 'p-gamma', '@batch', 1, '2026-10-03 10:00Z', '2026-10-03 12:30Z',
     'terminated', 9000, '2026-10-03 00:00Z', '2026-11-01 00:00Z');

-- One fact per server and day: (server, flavor, first day, last day, hours per full day).
INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus, memory_mb,
                                local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id)
SELECT 1, d, d + interval '1 day', s.instance_id::uuid, s.project_id, fl.flavor_id, fl.vcpus, fl.memory_mb, fl.local_gb,
       s.hours, s.hours * fl.vcpus, s.hours * fl.memory_mb, s.hours * fl.local_gb, s.state, false, 1
FROM (VALUES
        ('00000000-0000-0000-0000-000000000001', 'p-alpha', 'm1.small', '2026-09-20', '2026-10-31', 24.0::float8, 'active'),
        ('00000000-0000-0000-0000-000000000002', 'p-alpha', 'm1.large', '2026-10-01', '2026-10-14', 24.0, 'active'),
        ('00000000-0000-0000-0000-000000000002', 'p-alpha', 'm1.large', '2026-10-15', '2026-10-15', 12.0, 'terminated'),
        ('00000000-0000-0000-0000-000000000003', 'p-beta', 'm1.small', '2026-10-01', '2026-10-09', 24.0, 'active'),
        ('00000000-0000-0000-0000-000000000003', 'p-beta', 'm1.large', '2026-10-10', '2026-10-31', 24.0, 'active'),
        -- (86400 s - 23363.123456 s) as Nova computes it: (double) micros / 1e6 / 3600
        ('00000000-0000-0000-0000-000000000004', 'p-beta', 'gpu.xl', '2026-10-20', '2026-10-20',
         63036876544::float8 / 1000000 / 3600, 'active'),
        ('00000000-0000-0000-0000-000000000004', 'p-beta', 'gpu.xl', '2026-10-21', '2026-10-31', 24.0, 'shelved_offloaded'),
        ('00000000-0000-0000-0000-000000000005', 'p-gamma', 'm1.small', '2026-10-03', '2026-10-03', 2.5, 'terminated')
     ) AS s(instance_id, project_id, flavor, first_day, last_day, hours, state)
JOIN metrics.flavor fl ON fl.name = s.flavor
CROSS JOIN LATERAL generate_series(s.first_day::timestamp, s.last_day::timestamp, interval '1 day') AS g
CROSS JOIN LATERAL (SELECT g AT TIME ZONE 'UTC' AS d) AS dd;

-- The (project, server) pairs of the facts, as the loader records them for the per-project reports.
INSERT INTO metrics.project_server (cloud_id, project_id, instance_id)
SELECT DISTINCT cloud_id, project_id, instance_id FROM metrics.usage_fact;

-- Extracted ranges (all projects at once): Oct 1 .. 20 and Oct 22 loaded, Oct 23 provisional.
INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop, provisional, microversion,
                                     server_count, extracted_at, run_id)
SELECT 1, '*', d, d + interval '1 day', d + interval '1 day', false, '2.40', 3, d + interval '1 day 1 hour', 1
FROM (SELECT g AT TIME ZONE 'UTC' AS d
      FROM generate_series(timestamp '2026-10-01', timestamp '2026-10-20', interval '1 day') g
      UNION ALL SELECT timestamptz '2026-10-22 00:00Z') days;
INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop, provisional, microversion,
                                     server_count, extracted_at, run_id)
VALUES (1, '*', '2026-10-23 00:00Z', '2026-10-24 00:00Z', '2026-10-23 17:45:10.5Z', true, '2.40', 3,
        '2026-10-23 17:45:10.5Z', 1);

-- What Nova reported for three (project, day) ranges; beta's Oct 15 includes a server since archived.
INSERT INTO metrics.nova_totals (cloud_id, project_id, range_start, range_end, server_count, total_hours,
                                 total_vcpus_usage, total_memory_mb_usage, total_local_gb_usage, our_hours,
                                 our_vcpus_usage, our_memory_mb_usage, our_local_gb_usage, matches, provisional, run_id)
VALUES
    (1, 'p-alpha', '2026-10-15 00:00Z', '2026-10-16 00:00Z', 2, 36.0, 72.0, 147456.0, 1440.0,
     36.0, 72.0, 147456.0, 1440.0, true, false, 1),
    (1, 'p-beta', '2026-10-15 00:00Z', '2026-10-16 00:00Z', 2, 30.0, 102.0, 208896.0, 2040.0,
     24.0, 96.0, 196608.0, 1920.0, false, false, 1),
    (1, 'p-beta', '2026-10-20 00:00Z', '2026-10-21 00:00Z', 2,
     24.0 + 63036876544::float8 / 1000000 / 3600,
     96.0 + 8 * (63036876544::float8 / 1000000 / 3600),
     196608.0 + 32768 * (63036876544::float8 / 1000000 / 3600),
     1920.0 + 0 * (63036876544::float8 / 1000000 / 3600),
     0, 0, 0, 0, true, false, 1);

-- Prices: vCPU 0.010 EUR until 2026-10-16, 0.012 from then; RAM, disk per resource; gpu.xl by the hour.
INSERT INTO metrics.rate_card (resource, flavor, unit_price, currency, minor_units, valid_from, valid_to, source, run_id)
VALUES ('vcpu_hour', NULL, 0.010, 'EUR', 2, '2026-01-01 00:00Z', '2026-10-16 00:00Z', 'small-cloud.sql', 1),
       ('vcpu_hour', NULL, 0.012, 'EUR', 2, '2026-10-16 00:00Z', NULL, 'small-cloud.sql', 1),
       ('ram_gb_hour', NULL, 0.002, 'EUR', 2, '2026-01-01 00:00Z', NULL, 'small-cloud.sql', 1),
       ('disk_gb_hour', NULL, 0.0001, 'EUR', 2, '2026-01-01 00:00Z', NULL, 'small-cloud.sql', 1),
       ('flavor_hour', 'gpu.xl', 2.50, 'EUR', 2, '2026-01-01 00:00Z', NULL, 'small-cloud.sql', 1);

-- Two more clouds on top of small-cloud.sql, hourly windows in October 2026, for the fast server_usage export:
-- cloud keys and project ids that sort differently by bytes, case, accents and punctuation, the same instance ids
-- in two clouds, ids that sort differently signed and unsigned, a resized server, null names, end times and
-- uptimes, a project without a project row, a project id only the facts know, a fact without its server row.
INSERT INTO metrics.cloud (cloud_key, window_seconds) OVERRIDING SYSTEM VALUE VALUES
    ('https://b.example:5000/v3#Région-Ü', 3600),
    ('https://B.example:5000/v3#r', 3600);

INSERT INTO metrics.project (cloud_id, project_id, name) VALUES
    (2, 'Zeta', 'zeta team'),
    (2, 'alpha', NULL),
    (2, 'Äpfel', E'+SUM(A1)\r\nline'),
    (2, 'a b', '-1'),
    (2, 'a-b', E'\ttabbed'),
    (2, '_x', ''),
    (3, 'alpha', 'Alpha "R&D", Ltd'),
    (3, 'ß', '@at');

INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb) VALUES
    (2, 'tiny', 1, 512, 1),
    (2, 'big,"quoted"', 16, 65536, 160),
    (3, E'new\nline', 2, 4096, 40);

INSERT INTO metrics.server (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state, uptime,
                            first_seen, last_seen)
SELECT s.cloud_id, s.instance_id::uuid, s.project_id, s.name, fl.flavor_id, s.started_at::timestamptz,
       s.ended_at::timestamptz, s.state, s.uptime, '2026-10-01 00:00Z', '2026-11-01 00:00Z'
FROM (VALUES
        (2, 'ffffffff-0000-0000-0000-000000000001', 'Zeta', NULL, 'tiny', '2026-10-01 00:00Z', NULL, 'active', NULL::bigint),
        (2, '80000000-0000-0000-0000-000000000001', 'alpha', 'résumé, "cv"', 'big,"quoted"', '2026-10-01 01:30Z',
         '2026-10-02 05:00:00.5Z', 'deleted', 99),
        (2, '7fffffff-ffff-ffff-ffff-ffffffffffff', 'Äpfel', '=1+1', 'tiny', '2026-09-30 23:00Z', NULL, 'shelved', 5),
        (2, '00000000-0000-0000-8000-000000000000', 'a b', E'multi\nline\r\nname', 'tiny', '2026-10-01 00:00Z', NULL,
         'active', 7),
        (2, '00000000-0000-0000-7fff-ffffffffffff', 'a-b', ' padded ', 'tiny', '2026-10-01 00:00Z', NULL, 'active', 8),
        (2, '12345678-1234-1234-1234-123456789abc', '_x', '', 'tiny', '2026-10-01 00:00Z', NULL, 'active', 9),
        (2, '22345678-1234-1234-1234-123456789abc', 'no-project-row', 'orphan', 'tiny', '2026-10-01 00:00Z', NULL,
         'active', 10),
        (2, '32345678-1234-1234-1234-123456789abc', 'ghost', 'ghost of the facts', 'tiny', '2026-10-01 00:00Z', NULL,
         'active', 11),
        (3, 'ffffffff-0000-0000-0000-000000000001', 'alpha', 'same id, other cloud', E'new\nline', '2026-10-01 00:00Z',
         NULL, 'active', 12),
        (3, '00000000-0000-0000-0000-000000000001', 'ß', '-negative', E'new\nline', '2026-10-01 00:00Z', NULL,
         'active', 13)
     ) AS s(cloud_id, instance_id, project_id, name, flavor, started_at, ended_at, state, uptime)
JOIN metrics.flavor fl ON fl.cloud_id = s.cloud_id AND fl.name = s.flavor;

-- Hourly facts from the first to the last hour (inclusive); the alpha server is resized to big at 2026-10-01 12:00Z.
INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus, memory_mb,
                                local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id)
SELECT s.cloud_id, h, h + interval '1 hour', s.instance_id::uuid, s.project_id, fl.flavor_id, fl.vcpus, fl.memory_mb,
       fl.local_gb, s.hours, s.hours * fl.vcpus, s.hours * fl.memory_mb, s.hours * fl.local_gb, 'active',
       h >= timestamptz '2026-10-02 20:00Z', 1
FROM (VALUES
        (2, 'ffffffff-0000-0000-0000-000000000001', 'Zeta', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0::float8),
        (2, '80000000-0000-0000-0000-000000000001', 'alpha', 'tiny', '2026-10-01 01:00', '2026-10-01 11:00', 0.1),
        (2, '80000000-0000-0000-0000-000000000001', 'alpha', 'big,"quoted"', '2026-10-01 12:00', '2026-10-02 05:00',
         1e-7),
        (2, '7fffffff-ffff-ffff-ffff-ffffffffffff', 'Äpfel', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 22315008.0),
        (2, '00000000-0000-0000-8000-000000000000', 'a b', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0),
        (2, '00000000-0000-0000-7fff-ffffffffffff', 'a-b', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 0.5),
        (2, '12345678-1234-1234-1234-123456789abc', '_x', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0),
        (2, '22345678-1234-1234-1234-123456789abc', 'no-project-row', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0),
        (2, '32345678-1234-1234-1234-123456789abc', 'ghost', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0),
        (2, '42345678-1234-1234-1234-123456789abc', 'Zeta', 'tiny', '2026-10-01 00:00', '2026-10-02 23:00', 1.0),
        (3, 'ffffffff-0000-0000-0000-000000000001', 'alpha', E'new\nline', '2026-10-01 00:00', '2026-10-02 23:00',
         0.25),
        (3, '00000000-0000-0000-0000-000000000001', 'ß', E'new\nline', '2026-10-01 00:00', '2026-10-02 23:00', 1.0)
     ) AS s(cloud_id, instance_id, project_id, flavor, first_hour, last_hour, hours)
JOIN metrics.flavor fl ON fl.cloud_id = s.cloud_id AND fl.name = s.flavor
CROSS JOIN LATERAL generate_series(s.first_hour::timestamp, s.last_hour::timestamp, interval '1 hour') AS g
CROSS JOIN LATERAL (SELECT g AT TIME ZONE 'UTC' AS h) AS hh;

-- The loader's (project, server) pairs, except the ghost project's, which only the facts know.
INSERT INTO metrics.project_server (cloud_id, project_id, instance_id)
SELECT DISTINCT cloud_id, project_id, instance_id FROM metrics.usage_fact
WHERE cloud_id IN (2, 3) AND project_id <> 'ghost';

-- report.tenant_usage_document: the old script's JSON document, per project and extracted range.
-- The old script archived Nova's tenant_usage object, one line per file: this view rebuilds it from the
-- database with the same field names, order and meaning, so anything that read the old files can read
-- these. `os-metrics export --report tenant_usage_document --format jsonl` writes one document per line.
--
--   cloud, project_id, project_name  whose document it is
--   range_start, range_end  the extracted range (Nova's start and requested end), UTC
--   provisional   true when the range was still open when extracted
--   document      the JSON text: {"tenant_id", "server_usages": [...], "total_local_gb_usage",
--                 "total_vcpus_usage", "total_memory_mb_usage", "total_hours", "start", "stop"}
--
-- server_usages: one entry per server (and flavor, when a loaded range saw two), ordered by instance_id
-- like Nova, with the old CSV fields. hours are the server's hours in the range, computed like Nova from the
-- whole microseconds of its windows ((double) micros / 1e6 / 3600), so they equal Nova's figure bit for bit.
-- The four totals are the ones Nova reported (metrics.nova_totals), so the document reproduces Nova's
-- numbers bit for bit; report.reconciliation compares them with ours. start/stop are written like Nova
-- (YYYY-MM-DDTHH:MI:SS.ffffff, UTC, no zone); stop is the end Nova answered for (clamped to the moment of
-- the call for an open range). Numbers and strings are written like Python's json module with its defaults
-- (24.0, not 24; every character outside printable ASCII escaped: "Z\u00fcrich"), as the old collector's
-- json.dumps wrote them, so archives kept in git diff cleanly across the switch.
DROP VIEW IF EXISTS report.tenant_usage_document;

-- A string as Python's json.dumps writes it by default (ensure_ascii): the JSON escapes of to_json, plus
-- \uXXXX (lowercase hex) for DEL and every non-ASCII character, a surrogate pair above U+FFFF.
CREATE OR REPLACE FUNCTION report.python_json_string(value text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
DECLARE
    json text := to_json(value)::text;
    escaped text := '';
    code integer;
BEGIN
    IF json ~ '^[ -~]*$' THEN
        RETURN json;
    END IF;
    FOREACH code IN ARRAY (SELECT array_agg(ascii(c)) FROM regexp_split_to_table(json, '') AS c) LOOP
        IF code BETWEEN 32 AND 126 THEN
            escaped := escaped || chr(code);
        ELSIF code < 65536 THEN
            escaped := escaped || '\u' || lpad(to_hex(code), 4, '0');
        ELSE
            escaped := escaped || '\u' || to_hex(55296 + ((code - 65536) >> 10))
                               || '\u' || to_hex(56320 + ((code - 65536) & 1023));
        END IF;
    END LOOP;
    RETURN escaped;
END
$$;

-- A double as Python's json.dumps writes it: the shortest text that reads back to the same double,
-- with ".0" on whole numbers. extra_float_digits = 1 makes PostgreSQL print that shortest text.
CREATE OR REPLACE FUNCTION report.python_float(value double precision) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    SET extra_float_digits = 1
AS $$
    SELECT CASE
               WHEN value = 'NaN'::float8 THEN 'NaN'
               WHEN value = 'Infinity'::float8 THEN 'Infinity'
               WHEN value = '-Infinity'::float8 THEN '-Infinity'
               WHEN value::text ~ '^-?[0-9]+$' THEN value::text || '.0'
               ELSE value::text
           END
$$;

-- A moment as Nova writes it: UTC, microseconds, no zone.
CREATE OR REPLACE FUNCTION report.nova_time(value timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
$$;

CREATE VIEW report.tenant_usage_document AS
SELECT c.cloud_key AS cloud,
       nt.project_id,
       p.name      AS project_name,
       nt.range_start,
       nt.range_end,
       nt.provisional,
       ('{"tenant_id": ' || report.python_json_string(nt.project_id)
        || ', "server_usages": [' || coalesce(su.server_usages, '') || ']'
        || ', "total_local_gb_usage": ' || report.python_float(nt.total_local_gb_usage)
        || ', "total_vcpus_usage": ' || report.python_float(nt.total_vcpus_usage)
        || ', "total_memory_mb_usage": ' || report.python_float(nt.total_memory_mb_usage)
        || ', "total_hours": ' || report.python_float(nt.total_hours)
        || ', "start": "' || report.nova_time(nt.range_start) || '"'
        || ', "stop": "' || report.nova_time(coalesce(er.stop, nt.range_end)) || '"'
        || '}')::json AS document
FROM metrics.nova_totals nt
JOIN metrics.cloud c ON c.cloud_id = nt.cloud_id
LEFT JOIN metrics.project p ON p.cloud_id = nt.cloud_id AND p.project_id = nt.project_id
LEFT JOIN LATERAL (
    -- the range as extracted: for this project alone, or for all projects at once
    SELECT r.stop
    FROM metrics.extracted_range r
    WHERE r.cloud_id = nt.cloud_id AND r.range_start = nt.range_start AND r.scope IN (nt.project_id, '*')
    ORDER BY r.scope = nt.project_id DESC
    LIMIT 1) er ON true
LEFT JOIN LATERAL (
    SELECT string_agg(
               '{"hours": ' || report.python_float(u.hours)
               || ', "flavor": ' || report.python_json_string(fl.name)
               || ', "instance_id": "' || u.instance_id::text || '"'
               || ', "name": ' || coalesce(report.python_json_string(s.name), 'null')
               || ', "tenant_id": ' || report.python_json_string(nt.project_id)
               || ', "memory_mb": ' || u.memory_mb
               || ', "local_gb": ' || u.local_gb
               || ', "vcpus": ' || u.vcpus
               || ', "started_at": "' || report.nova_time(s.started_at) || '"'
               || ', "ended_at": ' || coalesce('"' || report.nova_time(s.ended_at) || '"', 'null')
               || ', "state": ' || report.python_json_string(s.state)
               || ', "uptime": ' || coalesce(s.uptime::text, 'null')
               || '}',
               ', ' ORDER BY u.instance_id, u.flavor_id) AS server_usages
    FROM metrics.server_hours_in_range(nt.cloud_id, nt.project_id, nt.range_start, nt.range_end,
                                       c.window_seconds) u
    JOIN metrics.server s ON s.cloud_id = nt.cloud_id AND s.instance_id = u.instance_id
    JOIN metrics.flavor fl ON fl.flavor_id = u.flavor_id) su ON true;

COMMENT ON VIEW report.tenant_usage_document IS
    'The old script''s JSON document (Nova''s tenant_usage object) per cloud, project and extracted range, in column document.';
GRANT SELECT ON report.tenant_usage_document TO os_metrics_reader;

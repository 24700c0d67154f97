-- The rows of report.server_usage as the CSV lines of `export --format csv` (README, "CSV"), one text per row,
-- CRLF included, for COPY ... TO STDOUT (FORMAT binary): ReportExporter writes the texts as they come, so the
-- export costs what psql's \copy of the view does. Each cell is what CsvRowWriter writes for the value (its tests
-- compare the two on every filter, dialect and delimiter): text cells get the formula guard (a leading ' before
-- = + - @ tab CR) and Commons CSV's minimal quoting (empty first cell, first character up to '#', last up to a
-- space, the delimiter, a quote, CR or LF); doubles as Java prints them (1.0, 0.0005, 22315008, never 1e-05);
-- instants as ISO-8601 UTC (2026-10-15T12:00:00Z, a fraction in 3 or 6 digits); null as an empty cell.
-- Needs TimeZone UTC and DateStyle ISO (set for the transaction) and the delimiter in os_metrics.csv_delimiter.
-- ServerUsageExport appends the rows' source as u (the view, or serverUsageRows.sql for a chunk of windows), the
-- delimiter as k.d, the filters and the view's order (ORDER BY window_start, cloud, tenant_id, instance_id).
SELECT
       -- hours
       coalesce(CASE WHEN abs(u.hours) >= 0.001 AND abs(u.hours) < 10000000
              THEN CASE WHEN strpos(u.hours::text, '.') > 0 THEN u.hours::text ELSE u.hours::text || '.0' END
              WHEN u.hours = 0 THEN u.hours::text || '.0'
              WHEN u.hours IN ('NaN', 'Infinity', '-Infinity') THEN u.hours::text
              ELSE u.hours::text::numeric::text END, '')
       || k.d ||
       -- flavor
       coalesce(CASE WHEN (ascii(u.flavor) BETWEEN 1 AND 35 AND ascii(u.flavor) NOT IN (9, 13))
                   OR ascii(right(u.flavor, 1)) BETWEEN 1 AND 32
                   OR strpos(u.flavor, k.d) > 0 OR strpos(u.flavor, '"') > 0 OR strpos(u.flavor, E'\r') > 0 OR strpos(u.flavor, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.flavor) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.flavor ELSE u.flavor END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.flavor) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.flavor ELSE u.flavor END END, '')
       || k.d ||
       -- instance_id
       coalesce(u.instance_id::text, '')
       || k.d ||
       -- name
       coalesce(CASE WHEN (ascii(u.name) BETWEEN 1 AND 35 AND ascii(u.name) NOT IN (9, 13))
                   OR ascii(right(u.name, 1)) BETWEEN 1 AND 32
                   OR strpos(u.name, k.d) > 0 OR strpos(u.name, '"') > 0 OR strpos(u.name, E'\r') > 0 OR strpos(u.name, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.name ELSE u.name END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.name ELSE u.name END END, '')
       || k.d ||
       -- tenant_id
       coalesce(CASE WHEN (ascii(u.tenant_id) BETWEEN 1 AND 35 AND ascii(u.tenant_id) NOT IN (9, 13))
                   OR ascii(right(u.tenant_id, 1)) BETWEEN 1 AND 32
                   OR strpos(u.tenant_id, k.d) > 0 OR strpos(u.tenant_id, '"') > 0 OR strpos(u.tenant_id, E'\r') > 0 OR strpos(u.tenant_id, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.tenant_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.tenant_id ELSE u.tenant_id END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.tenant_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.tenant_id ELSE u.tenant_id END END, '')
       || k.d ||
       -- memory_mb
       coalesce(u.memory_mb::text, '')
       || k.d ||
       -- local_gb
       coalesce(u.local_gb::text, '')
       || k.d ||
       -- vcpus
       coalesce(u.vcpus::text, '')
       || k.d ||
       -- started_at
       coalesce(CASE WHEN k.d = ':' THEN '"' || (CASE WHEN length(u.started_at::text) = 22 THEN overlay(left(u.started_at::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.started_at::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.started_at)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.started_at)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.started_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END) || '"' ELSE (CASE WHEN length(u.started_at::text) = 22 THEN overlay(left(u.started_at::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.started_at::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.started_at)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.started_at)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.started_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END) END, '')
       || k.d ||
       -- ended_at
       coalesce(CASE WHEN k.d = ':' THEN '"' || (CASE WHEN length(u.ended_at::text) = 22 THEN overlay(left(u.ended_at::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.ended_at::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.ended_at)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.ended_at)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.ended_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END) || '"' ELSE (CASE WHEN length(u.ended_at::text) = 22 THEN overlay(left(u.ended_at::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.ended_at::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.ended_at)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.ended_at)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.ended_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END) END, '')
       || k.d ||
       -- state
       coalesce(CASE WHEN (ascii(u.state) BETWEEN 1 AND 35 AND ascii(u.state) NOT IN (9, 13))
                   OR ascii(right(u.state, 1)) BETWEEN 1 AND 32
                   OR strpos(u.state, k.d) > 0 OR strpos(u.state, '"') > 0 OR strpos(u.state, E'\r') > 0 OR strpos(u.state, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.state) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.state ELSE u.state END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.state) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.state ELSE u.state END END, '')
       || k.d ||
       -- uptime
       coalesce(u.uptime::text, '')
       || k.d ||
       -- project_name
       coalesce(CASE WHEN (ascii(u.project_name) BETWEEN 1 AND 35 AND ascii(u.project_name) NOT IN (9, 13))
                   OR ascii(right(u.project_name, 1)) BETWEEN 1 AND 32
                   OR strpos(u.project_name, k.d) > 0 OR strpos(u.project_name, '"') > 0 OR strpos(u.project_name, E'\r') > 0 OR strpos(u.project_name, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.project_name) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.project_name ELSE u.project_name END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.project_name) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.project_name ELSE u.project_name END END, '')
       || k.d ||
       -- window_start
       coalesce(CASE WHEN k.d = ':' THEN '"' || (CASE WHEN length(u.window_start::text) = 22 THEN overlay(left(u.window_start::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.window_start::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.window_start)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.window_start)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.window_start)::bigint % 1000000)::text, 6, '0') END || 'Z' END) || '"' ELSE (CASE WHEN length(u.window_start::text) = 22 THEN overlay(left(u.window_start::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.window_start::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.window_start)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.window_start)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.window_start)::bigint % 1000000)::text, 6, '0') END || 'Z' END) END, '')
       || k.d ||
       -- window_end
       coalesce(CASE WHEN k.d = ':' THEN '"' || (CASE WHEN length(u.window_end::text) = 22 THEN overlay(left(u.window_end::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.window_end::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.window_end)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.window_end)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.window_end)::bigint % 1000000)::text, 6, '0') END || 'Z' END) || '"' ELSE (CASE WHEN length(u.window_end::text) = 22 THEN overlay(left(u.window_end::text, 19) placing 'T' from 11 for 1) || 'Z'
         ELSE overlay(left(u.window_end::text, 19) placing 'T' from 11 for 1) || '.'
              || CASE WHEN extract(microseconds from u.window_end)::bigint % 1000 = 0
                      THEN lpad((extract(microseconds from u.window_end)::bigint % 1000000 / 1000)::text, 3, '0')
                      ELSE lpad((extract(microseconds from u.window_end)::bigint % 1000000)::text, 6, '0') END || 'Z' END) END, '')
       || k.d ||
       -- cloud
       coalesce(CASE WHEN (ascii(u.cloud) BETWEEN 1 AND 35 AND ascii(u.cloud) NOT IN (9, 13))
                   OR ascii(right(u.cloud, 1)) BETWEEN 1 AND 32
                   OR strpos(u.cloud, k.d) > 0 OR strpos(u.cloud, '"') > 0 OR strpos(u.cloud, E'\r') > 0 OR strpos(u.cloud, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(u.cloud) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.cloud ELSE u.cloud END, '"', '""') || '"'
              ELSE CASE WHEN ascii(u.cloud) IN (61, 43, 45, 64, 9, 13) THEN '''' || u.cloud ELSE u.cloud END END, '')
       || k.d ||
       -- provisional
       coalesce(u.provisional::text, '')
       || E'\r\n'

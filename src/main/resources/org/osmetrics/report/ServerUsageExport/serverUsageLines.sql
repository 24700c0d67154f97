-- The CSV lines of report.server_usage's rows in one chunk of windows, for a role that reads schema metrics (the
-- view's columns and joins: sql-reports/R__server_usage.sql; csvLines.sql says what each cell is). The cells of
-- the dimension rows (clouds, flavors, projects, servers: as many as the cloud has, not as the rows exported) are
-- written once per chunk (OFFSET 0 keeps PostgreSQL from computing them per row); a fact row adds its hours, sizes,
-- windows and flag. ServerUsageExport appends the chunk's bounds; its filters and the view's order apply to u.
SELECT f.window_start,
       c.cloud_key AS cloud,
       f.project_id AS tenant_id,
       f.instance_id,
       pd.project_name,
       concat_ws(k.d,
           -- hours
           CASE WHEN abs(f.hours) >= 0.001 AND abs(f.hours) < 10000000
              THEN CASE WHEN f.hours = trunc(f.hours) THEN f.hours::text || '.0' ELSE f.hours::text END
              WHEN f.hours = 0 THEN f.hours::text || '.0'
              WHEN f.hours IN ('NaN', 'Infinity', '-Infinity') THEN f.hours::text
              ELSE f.hours::text::numeric::text END,
           fl.cell, s.id_cell, s.name_cell,
           coalesce(pd.id_cell, CASE WHEN (ascii(f.project_id) BETWEEN 1 AND 35 AND ascii(f.project_id) NOT IN (9, 13))
                   OR ascii(right(f.project_id, 1)) BETWEEN 1 AND 32
                   OR strpos(f.project_id, k.d) > 0 OR strpos(f.project_id, '"') > 0 OR strpos(f.project_id, E'\r') > 0 OR strpos(f.project_id, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(f.project_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || f.project_id ELSE f.project_id END, '"', '""') || '"'
              ELSE CASE WHEN ascii(f.project_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || f.project_id ELSE f.project_id END END),
           f.memory_mb::text, f.local_gb::text, f.vcpus::text,
           s.started_cell, s.ended_cell, s.state_cell, s.uptime_cell, coalesce(pd.name_cell, ''),
           CASE WHEN k.d = ':' THEN '"' || CASE WHEN f.window_start = date_trunc('second', f.window_start) THEN translate(CAST(f.window_start AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', f.window_start) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from f.window_start)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from f.window_start)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from f.window_start)::bigint % 1000000)::text, 6, '0') END || 'Z' END || '"' ELSE CASE WHEN f.window_start = date_trunc('second', f.window_start) THEN translate(CAST(f.window_start AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', f.window_start) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from f.window_start)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from f.window_start)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from f.window_start)::bigint % 1000000)::text, 6, '0') END || 'Z' END END,
           CASE WHEN k.d = ':' THEN '"' || CASE WHEN f.window_end = date_trunc('second', f.window_end) THEN translate(CAST(f.window_end AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', f.window_end) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from f.window_end)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from f.window_end)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from f.window_end)::bigint % 1000000)::text, 6, '0') END || 'Z' END || '"' ELSE CASE WHEN f.window_end = date_trunc('second', f.window_end) THEN translate(CAST(f.window_end AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', f.window_end) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from f.window_end)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from f.window_end)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from f.window_end)::bigint % 1000000)::text, 6, '0') END || 'Z' END END,
           c.cell, f.provisional::text || E'\r\n') AS line
FROM metrics.usage_fact f
CROSS JOIN (SELECT current_setting('os_metrics.csv_delimiter') AS d) k
JOIN (SELECT c.cloud_id, c.cloud_key, CASE WHEN (ascii(c.cloud_key) BETWEEN 1 AND 35 AND ascii(c.cloud_key) NOT IN (9, 13))
                   OR ascii(right(c.cloud_key, 1)) BETWEEN 1 AND 32
                   OR strpos(c.cloud_key, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(c.cloud_key, '"') > 0 OR strpos(c.cloud_key, E'\r') > 0 OR strpos(c.cloud_key, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(c.cloud_key) IN (61, 43, 45, 64, 9, 13) THEN '''' || c.cloud_key ELSE c.cloud_key END, '"', '""') || '"'
              ELSE CASE WHEN ascii(c.cloud_key) IN (61, 43, 45, 64, 9, 13) THEN '''' || c.cloud_key ELSE c.cloud_key END END AS cell
      FROM metrics.cloud c OFFSET 0) c ON c.cloud_id = f.cloud_id
JOIN (SELECT fl.flavor_id, CASE WHEN (ascii(fl.name) BETWEEN 1 AND 35 AND ascii(fl.name) NOT IN (9, 13))
                   OR ascii(right(fl.name, 1)) BETWEEN 1 AND 32
                   OR strpos(fl.name, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(fl.name, '"') > 0 OR strpos(fl.name, E'\r') > 0 OR strpos(fl.name, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(fl.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || fl.name ELSE fl.name END, '"', '""') || '"'
              ELSE CASE WHEN ascii(fl.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || fl.name ELSE fl.name END END AS cell
      FROM metrics.flavor fl OFFSET 0) fl ON fl.flavor_id = f.flavor_id
JOIN (SELECT s.cloud_id, s.instance_id, s.instance_id::text AS id_cell,
             coalesce(CASE WHEN (ascii(s.name) BETWEEN 1 AND 35 AND ascii(s.name) NOT IN (9, 13))
                   OR ascii(right(s.name, 1)) BETWEEN 1 AND 32
                   OR strpos(s.name, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(s.name, '"') > 0 OR strpos(s.name, E'\r') > 0 OR strpos(s.name, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(s.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || s.name ELSE s.name END, '"', '""') || '"'
              ELSE CASE WHEN ascii(s.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || s.name ELSE s.name END END, '') AS name_cell,
             coalesce(CASE WHEN current_setting('os_metrics.csv_delimiter') = ':' THEN '"' || CASE WHEN s.started_at = date_trunc('second', s.started_at) THEN translate(CAST(s.started_at AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', s.started_at) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from s.started_at)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from s.started_at)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from s.started_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END || '"' ELSE CASE WHEN s.started_at = date_trunc('second', s.started_at) THEN translate(CAST(s.started_at AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', s.started_at) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from s.started_at)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from s.started_at)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from s.started_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END END, '') AS started_cell,
             coalesce(CASE WHEN current_setting('os_metrics.csv_delimiter') = ':' THEN '"' || CASE WHEN s.ended_at = date_trunc('second', s.ended_at) THEN translate(CAST(s.ended_at AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', s.ended_at) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from s.ended_at)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from s.ended_at)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from s.ended_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END || '"' ELSE CASE WHEN s.ended_at = date_trunc('second', s.ended_at) THEN translate(CAST(s.ended_at AT TIME ZONE 'UTC' AS text), ' ', 'T') || 'Z'
              ELSE translate(CAST(date_trunc('second', s.ended_at) AT TIME ZONE 'UTC' AS text), ' ', 'T') || '.'
                   || CASE WHEN extract(microseconds from s.ended_at)::bigint % 1000 = 0
                           THEN lpad((extract(microseconds from s.ended_at)::bigint % 1000000 / 1000)::text, 3, '0')
                           ELSE lpad((extract(microseconds from s.ended_at)::bigint % 1000000)::text, 6, '0') END || 'Z' END END, '') AS ended_cell,
             coalesce(CASE WHEN (ascii(s.state) BETWEEN 1 AND 35 AND ascii(s.state) NOT IN (9, 13))
                   OR ascii(right(s.state, 1)) BETWEEN 1 AND 32
                   OR strpos(s.state, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(s.state, '"') > 0 OR strpos(s.state, E'\r') > 0 OR strpos(s.state, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(s.state) IN (61, 43, 45, 64, 9, 13) THEN '''' || s.state ELSE s.state END, '"', '""') || '"'
              ELSE CASE WHEN ascii(s.state) IN (61, 43, 45, 64, 9, 13) THEN '''' || s.state ELSE s.state END END, '') AS state_cell,
             coalesce(s.uptime::text, '') AS uptime_cell
      FROM metrics.server s OFFSET 0) s ON s.cloud_id = f.cloud_id AND s.instance_id = f.instance_id
LEFT JOIN (SELECT ids.cloud_id, ids.project_id, p.name AS project_name,
                  CASE WHEN (ascii(ids.project_id) BETWEEN 1 AND 35 AND ascii(ids.project_id) NOT IN (9, 13))
                   OR ascii(right(ids.project_id, 1)) BETWEEN 1 AND 32
                   OR strpos(ids.project_id, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(ids.project_id, '"') > 0 OR strpos(ids.project_id, E'\r') > 0 OR strpos(ids.project_id, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(ids.project_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || ids.project_id ELSE ids.project_id END, '"', '""') || '"'
              ELSE CASE WHEN ascii(ids.project_id) IN (61, 43, 45, 64, 9, 13) THEN '''' || ids.project_id ELSE ids.project_id END END AS id_cell,
                  coalesce(CASE WHEN (ascii(p.name) BETWEEN 1 AND 35 AND ascii(p.name) NOT IN (9, 13))
                   OR ascii(right(p.name, 1)) BETWEEN 1 AND 32
                   OR strpos(p.name, current_setting('os_metrics.csv_delimiter')) > 0 OR strpos(p.name, '"') > 0 OR strpos(p.name, E'\r') > 0 OR strpos(p.name, E'\n') > 0
              THEN '"' || replace(CASE WHEN ascii(p.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || p.name ELSE p.name END, '"', '""') || '"'
              ELSE CASE WHEN ascii(p.name) IN (61, 43, 45, 64, 9, 13) THEN '''' || p.name ELSE p.name END END, '') AS name_cell
           FROM (SELECT ps.cloud_id, ps.project_id FROM metrics.project_server ps
                 UNION SELECT pr.cloud_id, pr.project_id FROM metrics.project pr) ids
           LEFT JOIN metrics.project p ON p.cloud_id = ids.cloud_id AND p.project_id = ids.project_id
           OFFSET 0) pd ON pd.cloud_id = f.cloud_id AND pd.project_id = f.project_id
WHERE f.cloud_id = ANY(CAST(current_setting('os_metrics.chunk_clouds') AS integer[]))

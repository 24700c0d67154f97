-- The fresh facts per project, server and UTC day: first and last window, and how many (addFreshServerDays.sql).
COPY stage_batch_server_day (project_id, instance_id, first_window, last_window, facts) FROM STDIN WITH (FORMAT binary)

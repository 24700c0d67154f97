-- A timeline extraction succeeded: the next run starts from :changesSince (kept when null); no right is forgotten.
INSERT INTO metrics.timeline_extraction AS t (cloud_id, scope, changes_since, extracted_at, servers_read)
VALUES (:cloud, :scope, :changesSince, :at, :servers)
ON CONFLICT (cloud_id, scope) DO UPDATE SET
    changes_since   = coalesce(EXCLUDED.changes_since, t.changes_since),
    extracted_at    = EXCLUDED.extracted_at,
    servers_read    = EXCLUDED.servers_read,
    no_right_since  = NULL,
    no_right_reason = NULL,
    last_error      = NULL,
    last_error_at   = NULL

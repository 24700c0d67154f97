-- A timeline extraction failed (the usage of the run is loaded): its message, for status and monitoring.
INSERT INTO metrics.timeline_extraction AS t (cloud_id, scope, last_error, last_error_at)
VALUES (:cloud, :scope, :error, :at)
ON CONFLICT (cloud_id, scope) DO UPDATE SET
    last_error    = EXCLUDED.last_error,
    last_error_at = EXCLUDED.last_error_at

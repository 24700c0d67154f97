-- Nova answered 403: remembered, so that the warning is given once.
INSERT INTO metrics.timeline_extraction AS t (cloud_id, scope, no_right_since, no_right_reason)
VALUES (:cloud, :scope, :at, :reason)
ON CONFLICT (cloud_id, scope) DO UPDATE SET
    no_right_since  = coalesce(t.no_right_since, EXCLUDED.no_right_since),
    no_right_reason = EXCLUDED.no_right_reason

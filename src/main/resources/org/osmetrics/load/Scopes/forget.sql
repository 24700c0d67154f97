-- Forgets a scope of a cloud now (again, if it was forgotten and has run since).
INSERT INTO metrics.forgotten_scope (cloud_id, scope, forgotten_at, forgotten_by)
VALUES (:cloud, :scope, now(), current_user)
ON CONFLICT (cloud_id, scope) DO UPDATE SET forgotten_at = excluded.forgotten_at, forgotten_by = excluded.forgotten_by

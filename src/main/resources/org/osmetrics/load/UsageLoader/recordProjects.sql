-- A project Keystone listed: its name and domain. A domain's name read before is kept while the domain stays the
-- same and this listing has none (the credentials may list projects but not domains).
INSERT INTO metrics.project AS p (cloud_id, project_id, name, domain_id, domain_name)
VALUES (:cloud, :project, :name, :domainId, :domainName)
ON CONFLICT (cloud_id, project_id) DO UPDATE
SET name        = excluded.name,
    domain_id   = coalesce(excluded.domain_id, p.domain_id),
    domain_name = CASE WHEN excluded.domain_name IS NOT NULL THEN excluded.domain_name
                       WHEN excluded.domain_id IS NOT NULL AND excluded.domain_id IS DISTINCT FROM p.domain_id THEN NULL
                       ELSE p.domain_name END,
    updated_at  = now()
WHERE p.name IS DISTINCT FROM excluded.name
   OR (excluded.domain_id IS NOT NULL AND p.domain_id IS DISTINCT FROM excluded.domain_id)
   OR (excluded.domain_name IS NOT NULL AND p.domain_name IS DISTINCT FROM excluded.domain_name)

SELECT EXISTS (SELECT 1 FROM metrics.extracted_range
WHERE cloud_id = :cloud AND scope = :scope)

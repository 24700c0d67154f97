-- The timeline extraction state of one scope.
SELECT changes_since, extracted_at, no_right_since, no_right_reason
FROM metrics.timeline_extraction
WHERE cloud_id = :cloud AND scope = :scope

-- The ranges Nova was asked about for all projects or for the server's project, in a span (merged by the caller)
SELECT range_start, range_end FROM metrics.extracted_range
WHERE cloud_id = :cloud AND (scope = '*' OR scope = :project) AND range_end > :from AND range_start < :to
ORDER BY range_start

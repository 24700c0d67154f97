-- the complete (not provisional) extractions of the scope that overlap [:from, :to)
SELECT range_start, range_end FROM metrics.extracted_range
WHERE cloud_id = :cloud AND scope = :scope AND NOT provisional AND range_end > :from AND range_start < :to
ORDER BY range_start

-- how many servers each extraction of the scope that overlaps [:from, :to) and spans :spanSeconds listed
SELECT range_start, range_end, server_count FROM metrics.extracted_range
WHERE cloud_id = :cloud AND scope = :scope AND range_end > :from AND range_start < :to
AND extract(epoch FROM range_end - range_start) = :spanSeconds ORDER BY range_start

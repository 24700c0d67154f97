-- the end of the last complete (not provisional) extraction of the scope: where the next run starts
SELECT max(range_end) FROM metrics.extracted_range
WHERE cloud_id = :cloud AND scope = :scope AND NOT provisional

UPDATE metrics.run SET
range_start = LEAST(range_start, :start), range_end = GREATEST(range_end, :end)
WHERE run_id = :run

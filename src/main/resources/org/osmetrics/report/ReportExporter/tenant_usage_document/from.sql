range_start >= :from

window_start >= :from

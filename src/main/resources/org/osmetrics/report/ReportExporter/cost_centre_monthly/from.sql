month_start >= :from

day_start < :to AND month_start < :to

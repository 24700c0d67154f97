month_start < :to

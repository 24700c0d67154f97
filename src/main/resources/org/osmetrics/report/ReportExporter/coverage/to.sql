period_start < :to

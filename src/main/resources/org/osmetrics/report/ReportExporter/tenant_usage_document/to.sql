range_start < :to

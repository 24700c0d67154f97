window_start < :to

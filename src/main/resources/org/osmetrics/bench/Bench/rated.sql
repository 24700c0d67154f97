SELECT count(*) > 0 FROM metrics.rate_card

SELECT count(*) FROM metrics.rate_card

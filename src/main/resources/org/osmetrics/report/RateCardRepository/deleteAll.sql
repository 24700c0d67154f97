DELETE FROM metrics.rate_card

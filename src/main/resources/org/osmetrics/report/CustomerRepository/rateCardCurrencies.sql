SELECT DISTINCT currency FROM metrics.rate_card

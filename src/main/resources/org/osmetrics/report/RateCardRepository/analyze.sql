SELECT metrics.analyze_rate_card()

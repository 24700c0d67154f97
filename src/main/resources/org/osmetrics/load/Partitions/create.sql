SELECT metrics.create_usage_fact_partition(:month)

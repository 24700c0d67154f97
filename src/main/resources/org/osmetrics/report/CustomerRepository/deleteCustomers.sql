DELETE FROM metrics.customer

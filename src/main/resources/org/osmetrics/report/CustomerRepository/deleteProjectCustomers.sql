DELETE FROM metrics.project_customer

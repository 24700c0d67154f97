LOCK TABLE metrics.customer, metrics.project_customer IN SHARE ROW EXCLUSIVE MODE

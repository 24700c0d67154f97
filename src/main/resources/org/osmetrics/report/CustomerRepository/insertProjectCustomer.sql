INSERT INTO metrics.project_customer (project_id, customer_id, source)
VALUES (:project, :customer, :source)

INSERT INTO metrics.run (command, arguments, cloud_id, scope, started_at)
VALUES (:command, :arguments, :cloud, :scope, :now)

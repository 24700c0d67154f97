INSERT INTO metrics.anomaly (cloud_id, run_id, range_start, range_end, project_id, instance_id, kind, detail)
VALUES (:cloud, :run, :start, :end, :project, :instance, :kind, :detail)

INSERT INTO metrics.project (cloud_id, project_id)
SELECT DISTINCT :cloud, project_id FROM stage_batch_server
ON CONFLICT (cloud_id, project_id) DO NOTHING

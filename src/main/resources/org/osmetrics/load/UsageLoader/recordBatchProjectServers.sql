-- The (project, server) pairs of the batch's staged servers, which the facts of its ranges carry
-- (metrics.project_server: how the per-project reports find a project's facts).
INSERT INTO metrics.project_server (cloud_id, project_id, instance_id)
SELECT DISTINCT :cloud, st.project_id, st.instance_id
FROM stage_batch_server st
WHERE NOT EXISTS (SELECT 1 FROM metrics.project_server ps
                  WHERE ps.cloud_id = :cloud AND ps.project_id = st.project_id AND ps.instance_id = st.instance_id)
ON CONFLICT DO NOTHING

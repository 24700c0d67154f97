INSERT INTO metrics.run_lock (cloud_key) VALUES (:cloud) ON CONFLICT DO NOTHING

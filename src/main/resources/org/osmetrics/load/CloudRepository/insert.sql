INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES (:key, :seconds)
ON CONFLICT (cloud_key) DO NOTHING

UPDATE metrics.cloud SET window_seconds = :seconds WHERE cloud_id = :id

INSERT INTO metrics.raw_page (cloud_id, scope, range_start, page_index, run_id, url, http_status, microversion, body)
VALUES (:cloud, :scope, :start, :page, :run, :url, :status, :microversion, CAST(:body AS json))
ON CONFLICT (cloud_id, scope, range_start, run_id, page_index) DO NOTHING

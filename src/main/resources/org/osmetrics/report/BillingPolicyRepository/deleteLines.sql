DELETE FROM metrics.billing_policy WHERE cloud_id = :cloudId

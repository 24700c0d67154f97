UPDATE metrics.cloud SET billing_start = :start, time_zone = :zone WHERE cloud_id = :id

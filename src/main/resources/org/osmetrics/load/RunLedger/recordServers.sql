UPDATE metrics.run SET servers = :servers WHERE run_id = :run

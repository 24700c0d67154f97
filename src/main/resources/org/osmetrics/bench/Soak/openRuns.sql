SELECT count(*) FROM metrics.run WHERE status = 'running'

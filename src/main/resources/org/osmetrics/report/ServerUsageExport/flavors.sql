SELECT flavor_id, name FROM metrics.flavor

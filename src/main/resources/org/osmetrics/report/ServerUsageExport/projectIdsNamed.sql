-- project ids whose name is one of the given ones (?; any cloud: the exact test is per cloud, in Java)
SELECT DISTINCT project_id FROM metrics.project WHERE name = ANY(?)

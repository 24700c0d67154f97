-- every project id a fact can carry (metrics.project_server is recorded with the facts), in the view's order
SELECT project_id FROM (SELECT project_id FROM metrics.project_server
UNION SELECT project_id FROM metrics.project) ids ORDER BY project_id

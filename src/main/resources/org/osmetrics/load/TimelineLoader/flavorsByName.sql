-- A flavor name of the cloud with one size only: its id (names seen with other sizes are ambiguous)
SELECT min(flavor_id) AS flavor_id, name
FROM metrics.flavor
WHERE cloud_id = :cloud
GROUP BY name
HAVING count(*) = 1

-- the cloud asked for, by key: a report's own cloud.sql, if it has one, comes first
cloud = :cloud

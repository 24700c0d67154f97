-- for the rest of the export's transaction: each chunk's statement planned for its own values. A generic plan
-- (PostgreSQL's choice after five runs of a prepared statement) cannot tell a few projects from all of them and
-- reads every window's facts through the key; planned with the projects' ids it reads their block ranges through
-- the BRIN index of the project id (V110)
SET LOCAL plan_cache_mode = force_custom_plan

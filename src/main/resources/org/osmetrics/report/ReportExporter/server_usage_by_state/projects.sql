-- the projects asked for, by id or name
project_id = ANY(:projects)

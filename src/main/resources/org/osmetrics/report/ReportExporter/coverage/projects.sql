-- the projects asked for, by id or name
(scope = '*' OR scope = ANY(:projects) OR project_name = ANY(:projects))

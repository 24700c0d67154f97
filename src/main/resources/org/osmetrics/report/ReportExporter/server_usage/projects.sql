-- the projects asked for, by id or name
(tenant_id = ANY(:projects) OR project_name = ANY(:projects))

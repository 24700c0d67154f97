-- the projects asked for, by id or name
("SubAccountId" = ANY(:projects) OR "SubAccountName" = ANY(:projects))

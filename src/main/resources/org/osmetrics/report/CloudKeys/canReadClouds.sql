SELECT CASE WHEN has_schema_privilege('metrics', 'USAGE')
THEN has_table_privilege('metrics.cloud', 'SELECT') ELSE false END

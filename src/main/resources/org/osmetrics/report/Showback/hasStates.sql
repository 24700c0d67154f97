-- Whether the state split of issue #15 (report.server_usage_by_state) exists in this database.
SELECT to_regclass('report.server_usage_by_state') IS NOT NULL

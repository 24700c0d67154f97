-- Projects' Keystone domains (issue #18, rollups by domain): recorded with the names when the credentials may list
-- projects (`run`, `backfill`), the domain's name when they may list domains too. Null: not listed.
ALTER TABLE metrics.project
    ADD COLUMN domain_id   text,
    ADD COLUMN domain_name text;
COMMENT ON COLUMN metrics.project.domain_id IS 'The Keystone domain of the project (null: not listed).';
COMMENT ON COLUMN metrics.project.domain_name IS 'The name of that domain (null: the credentials may not list domains).';

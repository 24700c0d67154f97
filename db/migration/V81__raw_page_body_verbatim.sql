-- Raw pages keep Nova's body as the very text it sent (json), not PostgreSQL's parsed form (jsonb): an audit
-- sees the keys in Nova's order, repeated keys and number spellings as they came, and a load no longer builds
-- a jsonb tree of every page (about 20 ms a range of 2,000 servers; BENCHMARKS.md). The text is still
-- checked to be JSON on the way in, and json's operators still apply.
ALTER TABLE metrics.raw_page ALTER COLUMN body TYPE json USING body::json;

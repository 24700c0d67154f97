-- The documents that import-json read, one row per file (or per tenant of a list document) and import
-- run, with what became of it: the run ledger says what ran, this says which file gave which range.
CREATE TABLE metrics.imported_file (
    imported_file_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id            bigint      NOT NULL REFERENCES metrics.run,
    file_name         text        NOT NULL,
    outcome           text        NOT NULL CHECK (outcome IN ('loaded', 'empty', 'malformed')),
    cloud_id          integer REFERENCES metrics.cloud,
    scope             text,                    -- the document's tenant id (null when nothing was loaded)
    range_start       timestamptz,
    range_end         timestamptz,
    servers           integer,
    detail            text,                    -- why a file was not loaded
    CHECK ((outcome = 'loaded') = (range_start IS NOT NULL))
);
CREATE INDEX imported_file_run ON metrics.imported_file (run_id);
CREATE INDEX imported_file_name ON metrics.imported_file (file_name);

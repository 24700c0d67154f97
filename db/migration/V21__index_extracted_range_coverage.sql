-- "Is this window already recorded?" is asked for every staged fact of every load:
-- tstzrange(range_start, stop) @> tstzrange(window_start, window_end). A GiST index on that range answers
-- it in constant time; the primary key (cloud_id, scope, range_start) could only bound range_start from
-- one side, so each lookup scanned every older range and a load got slower with every day of history.
CREATE INDEX extracted_range_covers ON metrics.extracted_range USING gist (tstzrange(range_start, stop));

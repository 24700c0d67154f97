-- The first complete extraction of a range is the record; a provisional one is replaced.
INSERT INTO metrics.extracted_range AS r
       (cloud_id, scope, range_start, range_end, stop, provisional, microversion, truncation_suspected,
        server_count, extracted_at, run_id)
VALUES (:cloud, :scope, :start, :end, :stop, :provisional, :microversion, :truncationSuspected, :serverCount,
        :extractedAt, :run)
ON CONFLICT (cloud_id, scope, range_start) DO UPDATE SET
    range_end = excluded.range_end, stop = excluded.stop, provisional = excluded.provisional,
    microversion = excluded.microversion, truncation_suspected = excluded.truncation_suspected,
    server_count = excluded.server_count, extracted_at = excluded.extracted_at, run_id = excluded.run_id
WHERE r.provisional OR :restate

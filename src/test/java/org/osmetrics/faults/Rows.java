package org.osmetrics.faults;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The stored data as comparable text rows: what two databases must agree on after faults. */
final class Rows {
    /** The ledger error of a run closed by the next one (RunLedger's wording). */
    static final String INTERRUPTED = "interrupted: the process ended without finishing";

    private static final String FACTS = "SELECT concat_ws('|', f.instance_id, f.window_start, f.window_end, f.project_id,"
            + " fl.name, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours, f.memory_mb_hours, f.local_gb_hours,"
            + " f.state, f.provisional) FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id"
            + " WHERE f.window_end <= :cutoff ORDER BY f.instance_id, f.window_start";
    private static final String RANGES = "SELECT concat_ws('|', scope, range_start, range_end, stop, provisional,"
            + " server_count) FROM metrics.extracted_range WHERE range_end <= :cutoff ORDER BY scope, range_start";

    private Rows() {
    }

    /** Every fact of a window that ends by {@code cutoff}, with its flavor by name (ids differ between databases). */
    static List<String> closedFacts(Jdbi jdbi, Instant cutoff) {
        return jdbi.withHandle(h -> h.createQuery(FACTS).bind("cutoff", cutoff).mapTo(String.class).list());
    }

    /** Every extracted range that ends by {@code cutoff}. */
    static List<String> closedRanges(Jdbi jdbi, Instant cutoff) {
        return jdbi.withHandle(h -> h.createQuery(RANGES).bind("cutoff", cutoff).mapTo(String.class).list());
    }

    /** How many ledger rows have each status ("failed: error" for failures). */
    static Map<String, Long> ledgerStatuses(Jdbi jdbi) {
        Map<String, Long> statuses = new LinkedHashMap<>();
        jdbi.withHandle(h -> h.createQuery("SELECT CASE WHEN status = 'failed' THEN status || ': ' || error ELSE status END"
                        + " AS s, count(*) AS n FROM metrics.run GROUP BY 1 ORDER BY 1")
                .map((rs, ctx) -> Map.entry(rs.getString("s"), rs.getLong("n"))).list())
                .forEach(e -> statuses.put(e.getKey(), e.getValue()));
        return statuses;
    }

    /** One number from a query. */
    static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}

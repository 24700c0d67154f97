package org.osmetrics.load;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates the monthly partitions of {@code metrics.usage_fact} a range needs, in a short transaction of
 * its own, serialised by a transaction advisory lock so concurrent loads of different clouds do not race
 * on the same {@code CREATE TABLE}.
 */
final class Partitions {
    /** The advisory lock key for partition DDL: "osmp". */
    private static final long DDL_LOCK = 0x6f736d70L;

    private Partitions() {
    }

    /** The name of the month's partition of metrics.usage_fact, in schema metrics (built from a YearMonth only). */
    static String table(YearMonth month) {
        return String.format("usage_fact_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    /** The partitions of every month that {@code [start, endExclusive)} touches. */
    static void ensureMonths(Jdbi jdbi, Instant start, Instant endExclusive) {
        TreeSet<YearMonth> months = new TreeSet<>();
        YearMonth last = YearMonth.from(endExclusive.minusNanos(1).atOffset(ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(start.atOffset(ZoneOffset.UTC)); !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month);
        }
        ensure(jdbi, months);
    }

    /**
     * The partitions of these months, those missing created in one transaction. The loader passes the months
     * its facts fall in, never a range's whole span: a range with no server creates none.
     */
    static void ensure(Jdbi jdbi, Set<YearMonth> months) {
        if (months.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)").bind("key", DDL_LOCK).mapTo(Integer.class).one();
            for (YearMonth month : months) {
                String table = table(month);
                boolean exists = handle.createQuery("SELECT to_regclass(:name) IS NOT NULL")
                        .bind("name", "metrics." + table)
                        .mapTo(Boolean.class)
                        .one();
                if (!exists) {
                    // identifiers and bounds are built from a YearMonth, never from input text
                    handle.execute("CREATE TABLE metrics." + table + " PARTITION OF metrics.usage_fact FOR VALUES FROM ('"
                            + month.atDay(1) + " 00:00:00+00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')");
                }
            }
        });
    }
}

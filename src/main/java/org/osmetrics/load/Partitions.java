package org.osmetrics.load;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * Creates the monthly partitions of {@code metrics.usage_fact} a range needs, in a short transaction of its own,
 * through {@code metrics.create_usage_fact_partition} (V84): serialised by the parent table's own lock, which no
 * role without rights on it can take, and waiting for it at most {@link #LOCK_TIMEOUT} (a reader's transaction
 * over the report views holds the parent's ACCESS SHARE lock until it ends).
 */
final class Partitions {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** How long a load waits for the fact table's lock to add a month before it fails with exit 5. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** The sessions other than this one holding a lock on the fact table (who to ask, or end). */
    private static final String HOLDERS = SQL.locate(Partitions.class, "lockHolders");

    private Partitions() {
    }

    /** The name of the month's partition of metrics.usage_fact, in schema metrics (built from a YearMonth only). */
    static String table(YearMonth month) {
        return String.format("usage_fact_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    /** The partitions of every month that {@code [start, endExclusive)} touches. */
    static void ensureMonths(Jdbi jdbi, Instant start, Instant endExclusive) {
        ensureMonths(jdbi, start, endExclusive, LOCK_TIMEOUT);
    }

    /**
     * @throws OsMetricsException exit 5 when another session keeps the fact table locked longer than {@code lockTimeout}
     */
    static void ensureMonths(Jdbi jdbi, Instant start, Instant endExclusive, Duration lockTimeout) {
        TreeSet<YearMonth> months = new TreeSet<>();
        YearMonth last = YearMonth.from(endExclusive.minusNanos(1).atOffset(ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(start.atOffset(ZoneOffset.UTC)); !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month);
        }
        ensure(jdbi, months, lockTimeout);
    }

    /**
     * The partitions of these months, those missing created in one transaction. The loader passes the months
     * its facts fall in, never a range's whole span: a range with no server creates none.
     */
    static void ensure(Jdbi jdbi, Set<YearMonth> months) {
        ensure(jdbi, months, LOCK_TIMEOUT);
    }

    private static void ensure(Jdbi jdbi, Set<YearMonth> months, Duration lockTimeout) {
        // the usual case, every month there: no lock, no transaction
        List<YearMonth> missing = months.isEmpty() ? List.of() : jdbi.withHandle(handle -> months.stream()
                .filter(month -> !handle.createQuery(SQL.locate(Partitions.class, "exists"))
                        .bind("name", "metrics." + table(month)).mapTo(Boolean.class).one())
                .toList());
        if (missing.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(handle -> {
                handle.createQuery(SQL.locate(Partitions.class, "lockTimeout"))
                        .bind("timeout", lockTimeout.toMillis() + "ms").mapTo(String.class).one();
                for (YearMonth month : missing) {
                    handle.createQuery(SQL.locate(Partitions.class, "create"))
                            .bind("month", month.atDay(1)).mapTo(Boolean.class).one();
                }
            });
        } catch (JdbiException e) {
            if (!(e.getCause() instanceof SQLException sql) || !LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                throw e;
            }
            String holders = jdbi.withHandle(handle -> handle.createQuery(HOLDERS).mapTo(String.class).findOne().orElse(null));
            throw OsMetricsException.database("cannot create partition metrics." + table(missing.get(0))
                    + " of the fact table: another session held a lock on metrics.usage_fact for more than "
                    + lockTimeout.toSeconds() + " s (" + (holders == null ? "it has ended since" : holders)
                    + "; a long transaction over the report views?); nothing was loaded, run again once it ends", e);
        }
    }
}

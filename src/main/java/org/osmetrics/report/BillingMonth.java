package org.osmetrics.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * {@code --month YYYY-MM} of an export: the month in the cloud's billing time zone ({@code metrics.cloud.time_zone},
 * UTC unless set), as {@code invoice --month} and report.completeness read it, as the instants {@code [from, to)}.
 * Several clouds whose months start at different instants cannot share one range: that is refused (exit 2) until
 * {@code --cloud} picks one. Stateless.
 */
public final class BillingMonth {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private static final String CAN_READ_CLOUDS = CloudKeys.CAN_READ_CLOUDS;
    private static final String ZONES = SQL.locate(BillingMonth.class, "zones");
    /** A reader role (schema report only) learns the month's bounds from the completeness view. */
    private static final String MONTHS_OF_REPORTS = SQL.locate(BillingMonth.class, "monthsOfReports");

    /** The instants of a month: {@code [from, to)}. */
    public record Range(Instant from, Instant to) {
    }

    private BillingMonth() {
    }

    /** The month in the billing time zone of {@code cloud} (null: of every cloud, which must agree). */
    public static Range of(DataSource dataSource, YearMonth month, String cloud) {
        try {
            return Jdbi.create(dataSource).withHandle(handle -> of(handle, month, cloud));
        } catch (JdbiException e) {
            throw OsMetricsException.database("cannot read the clouds' billing time zones: " + e.getMessage(), e);
        }
    }

    /** As {@link #of(DataSource, YearMonth, String)}, on a handle of the caller (left open). */
    static Range of(Handle handle, YearMonth month, String cloud) {
        Map<String, Range> ranges = ranges(handle, month, cloud);
        if (ranges.values().stream().distinct().count() > 1) {
            throw OsMetricsException.usage("--month " + month + " starts at different instants in the clouds' billing"
                    + " time zones (" + ranges.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().from())
                    .collect(Collectors.joining(", ")) + "); --cloud KEY picks one (or use --from/--to)");
        }
        return ranges.values().stream().findFirst().orElseGet(() -> in(month, ZoneOffset.UTC));
    }

    /** The month of each cloud, by key: from its zone, or for a reader role from report.completeness. */
    private static Map<String, Range> ranges(Handle handle, YearMonth month, String cloud) {
        Map<String, Range> ranges = new TreeMap<>();
        if (handle.createQuery(CAN_READ_CLOUDS).mapTo(Boolean.class).one()) {
            handle.createQuery(ZONES).bind("cloud", cloud)
                    .map((rows, context) -> ranges.put(rows.getString(1), in(month, ZoneId.of(rows.getString(2)))))
                    .list();
            return ranges;
        }
        handle.createQuery(MONTHS_OF_REPORTS).bind("month", month.toString()).bind("cloud", cloud)
                .map((rows, context) -> ranges.put(rows.getString(1),
                        new Range(rows.getObject(2, OffsetDateTime.class).toInstant(),
                                rows.getObject(3, OffsetDateTime.class).toInstant())))
                .list();
        return ranges;
    }

    static Range in(YearMonth month, ZoneId zone) {
        return new Range(month.atDay(1).atStartOfDay(zone).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    }
}

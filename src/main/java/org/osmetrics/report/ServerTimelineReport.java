package org.osmetrics.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * One server's timeline as stored (README, "Usage as it ran"; {@code os-metrics timeline --server ID}): its
 * intervals of state and flavor, the problems met building it, and the hours Nova dropped that it recovered.
 * Immutable, thread-safe.
 */
public final class ServerTimelineReport {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Jdbi jdbi;

    public ServerTimelineReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** An interval; to null while it lasts; flavor null when not known; assumption null when the actions told. */
    public record Interval(String cloud, String instanceId, String projectId, String name, Instant from, Instant to,
                           String vmState, String flavor, String assumption) {
        /** Its length in hours up to {@code now} for the open one. */
        public BigDecimal hours(Instant now) {
            Instant end = to != null ? to : now.isAfter(from) ? now : from;
            long seconds = end.getEpochSecond() - from.getEpochSecond();
            return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 4, java.math.RoundingMode.HALF_EVEN)
                    .stripTrailingZeros();
        }
    }

    /** A problem (anomaly row) of the server's timeline. */
    public record Problem(String cloud, String kind, Instant at, String detail) {
    }

    /** Recovered hours of one state and flavor. */
    public record Recovered(String cloud, String vmState, String flavor, BigDecimal hours, Instant from, Instant to) {
    }

    /** Everything stored of one server's timeline. */
    public record Timeline(String instanceId, List<Interval> intervals, List<Problem> problems, List<Recovered> recovered) {
        public boolean isEmpty() {
            return intervals.isEmpty() && problems.isEmpty() && recovered.isEmpty();
        }
    }

    /**
     * The timeline of a server, of one cloud (its key) or of every cloud that has it.
     *
     * @throws OsMetricsException exit 2 when the id is not a server UUID
     */
    public Timeline of(String instanceId, String cloudKey) {
        String id;
        try {
            id = UUID.fromString(instanceId.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw OsMetricsException.usage("--server: '" + instanceId + "' is not a server id (a UUID)");
        }
        return jdbi.withHandle(handle -> new Timeline(id,
                handle.createQuery(SQL.locate(ServerTimelineReport.class, "intervals")).bind("id", id).bind("cloud", cloudKey)
                        .map((rs, ctx) -> new Interval(rs.getString("cloud_key"), rs.getString("instance_id"),
                                rs.getString("project_id"), rs.getString("name"), instant(rs, "valid_from"),
                                instant(rs, "valid_to"), rs.getString("vm_state"), rs.getString("flavor"),
                                rs.getString("assumption"))).list(),
                handle.createQuery(SQL.locate(ServerTimelineReport.class, "problems")).bind("id", id).bind("cloud", cloudKey)
                        .map((rs, ctx) -> new Problem(rs.getString("cloud_key"), rs.getString("kind"),
                                instant(rs, "range_start"), rs.getString("detail"))).list(),
                handle.createQuery(SQL.locate(ServerTimelineReport.class, "recovered")).bind("id", id).bind("cloud", cloudKey)
                        .map((rs, ctx) -> new Recovered(rs.getString("cloud_key"), rs.getString("vm_state"),
                                rs.getString("flavor"), rs.getBigDecimal("hours").stripTrailingZeros(),
                                instant(rs, "first_window"), instant(rs, "last_window"))).list()));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

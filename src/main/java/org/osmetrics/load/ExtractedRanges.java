package org.osmetrics.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.TimeRange;

/**
 * What the ledger of extractions ({@code metrics.extracted_range}, written by the loader) says of a cloud's scope:
 * where the next run starts, which ranges a backfill may skip, how many servers each range listed. Thread-safe
 * (stateless over Jdbi).
 */
public final class ExtractedRanges {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** A range and how many servers its extraction listed. */
    public record ServerCount(Instant start, Instant end, int servers) {
    }

    private final Jdbi jdbi;

    public ExtractedRanges(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The end of the scope's last complete (not provisional) extraction, if it has one. */
    public Optional<Instant> completeUntil(Cloud cloud, Scope scope) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(ExtractedRanges.class, "resumeFrom"))
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .mapTo(Instant.class)
                .findOne());
    }

    /** Whether any range of the scope was ever extracted (complete or provisional). */
    public boolean seen(Cloud cloud, Scope scope) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(ExtractedRanges.class, "scopeSeen"))
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .mapTo(Boolean.class)
                .one());
    }

    /** The complete (not provisional) extractions of the scope that overlap {@code [from, to)}, by start. */
    public List<TimeRange> complete(Cloud cloud, Scope scope, Instant from, Instant to) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(ExtractedRanges.class, "complete"))
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new TimeRange(rs.getTimestamp("range_start").toInstant(), rs.getTimestamp("range_end").toInstant()))
                .list());
    }

    /** The server counts of the scope's extractions that overlap {@code [from, to)} and span {@code span}, by start. */
    public List<ServerCount> serverCounts(Cloud cloud, Scope scope, Instant from, Instant to, Duration span) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(ExtractedRanges.class, "serverCounts"))
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .bind("from", from)
                .bind("to", to)
                .bind("spanSeconds", span.getSeconds())
                .map((rs, ctx) -> new ServerCount(rs.getTimestamp("range_start").toInstant(),
                        rs.getTimestamp("range_end").toInstant(), rs.getInt("server_count")))
                .list());
    }
}

package org.osmetrics.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * What an operator (or monitoring) needs to know about the data: the latest runs of the ledger, the
 * coverage of each cloud and scope (from {@code report.coverage}), and reconciliation problems. Read-only;
 * thread-safe (stateless over Jdbi).
 */
public final class Status {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** One run of the ledger. {@code lockHeld}: a process holds the run's cloud lock right now. */
    public record Run(long runId, String command, String cloud, String scope, Instant rangeStart, Instant rangeEnd,
            Instant startedAt, Instant finishedAt, String status, int windows, int servers, long rows, String error,
            boolean lockHeld) {

        /** The status, with a 'running' row that no process holds the lock for shown as interrupted. */
        public String result() {
            return "running".equals(status) && !lockHeld ? "interrupted" : status;
        }

        public Optional<Duration> duration() {
            return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
        }
    }

    /** A period of one status on a cloud's window grid, {@code [start, end)}. */
    public record Period(Instant start, Instant end, long windows) {
    }

    /**
     * The coverage of one cloud and scope.
     *
     * @param firstWindow        start of the first window extracted
     * @param loadedUntil        end of the last window loaded completely (null: none yet)
     * @param gaps               missing periods between the first and the last extracted window
     * @param behindWindows      windows closed since the last extracted one (a cron run catches them up)
     */
    public record Coverage(String cloud, String scope, Instant firstWindow, Instant loadedUntil, long loadedWindows,
            long provisionalWindows, List<Period> provisional, List<Period> gaps, long behindWindows) {

        public long gapWindows() {
            return gaps.stream().mapToLong(Period::windows).sum();
        }
    }

    /** Reconciliation problems of one cloud. */
    public record Reconciliation(String cloud, long mismatches, Instant firstMismatch, long anomalies,
            long pendingRestatements) {
    }

    /**
     * The last successful run of a command for one cloud and scope (null times: none yet), how its latest
     * finished run ended (null: none finished) and when its latest run started (null: the command never ran for
     * it: a cloud and scope only backfilled).
     */
    public record LastSuccess(String cloud, String scope, Instant finishedAt, Duration duration, long rows,
            String latestStatus, Instant lastAttempt) {
    }

    /**
     * The timelines of one cloud (issue #15): its latest timeline load, the last one that read the actions
     * (null: none did), the problems timelines recorded (metrics.anomaly).
     *
     * @param lastError the latest load's error (null: it read the actions)
     */
    public record Timelines(String cloud, Instant lastLoad, Instant lastSuccess, int servers, int problems,
            int unknownToNova, String lastError, long anomalies) {
    }

    /** Everything {@code status} shows, read at {@code at}. */
    public record Snapshot(Instant at, String command, List<Run> runs, List<Coverage> coverage,
            List<Reconciliation> reconciliation, List<LastSuccess> lastSuccess, List<Timelines> timelines) {

        /** Without timelines (none loaded). */
        public Snapshot(Instant at, String command, List<Run> runs, List<Coverage> coverage,
                List<Reconciliation> reconciliation, List<LastSuccess> lastSuccess) {
            this(at, command, runs, coverage, reconciliation, lastSuccess, List.of());
        }

        /**
         * The clouds and scopes whose last successful run of the command ended longer than {@code maxAge}
         * ago, or that never had one.
         */
        public List<LastSuccess> staleScopes(Duration maxAge) {
            Instant limit = at.minus(maxAge);
            return lastSuccess.stream().filter(s -> s.finishedAt() == null || s.finishedAt().isBefore(limit)).toList();
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public Status(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * @param lastRuns how many runs of the ledger to list
     * @param command  the command whose runs count for staleness (normally {@code run}, the cron job)
     */
    public Snapshot read(int lastRuns, String command) {
        return read(lastRuns, command, null);
    }

    /** As {@link #read(int, String)}, for one cloud (its key; null: every cloud). */
    public Snapshot read(int lastRuns, String command, String cloud) {
        return jdbi.inTransaction(handle -> {
            // one snapshot of the database for all four reads
            handle.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            List<Run> runs = handle.createQuery(SQL.locate(Status.class, "lastRuns"))
                    .bind("cloud", cloud)
                    .bind("limit", lastRuns)
                    .map((rs, ctx) -> new Run(rs.getLong("run_id"), rs.getString("command"), rs.getString("cloud_key"),
                            rs.getString("scope"), instant(rs, "range_start"), instant(rs, "range_end"),
                            instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("status"),
                            rs.getInt("windows"), rs.getInt("servers"), rs.getLong("rows_loaded"), rs.getString("error"),
                            rs.getBoolean("lock_held")))
                    .list();
            List<PeriodRow> periods = handle.createQuery(SQL.locate(Status.class, "coverage"))
                    .bind("cloud", cloud)
                    .map((rs, ctx) -> new PeriodRow(rs.getString("cloud"), rs.getString("scope"), rs.getString("status"),
                            new Period(instant(rs, "period_start"), instant(rs, "period_end"), rs.getLong("windows"))))
                    .list();
            List<Reconciliation> reconciliation = handle.createQuery(SQL.locate(Status.class, "reconciliation"))
                    .bind("cloud", cloud)
                    .map((rs, ctx) -> new Reconciliation(rs.getString("cloud_key"), rs.getLong("mismatches"),
                            instant(rs, "first_mismatch"), rs.getLong("anomalies"), rs.getLong("pending_restatements")))
                    .list();
            List<LastSuccess> lastSuccess = handle.createQuery(SQL.locate(Status.class, "lastSuccess"))
                    .bind("cloud", cloud)
                    .bind("command", command)
                    .map((rs, ctx) -> {
                        Instant finished = instant(rs, "success_finished_at");
                        Instant started = instant(rs, "success_started_at");
                        return new LastSuccess(rs.getString("cloud_key"), rs.getString("scope"), finished,
                                finished == null ? null : Duration.between(started, finished), rs.getLong("success_rows"),
                                rs.getString("latest_status"), instant(rs, "attempt_started_at"));
                    })
                    .list();
            List<Timelines> timelines = handle.createQuery(SQL.locate(Status.class, "timelines"))
                    .bind("cloud", cloud)
                    .map((rs, ctx) -> new Timelines(rs.getString("cloud_key"), instant(rs, "last_load"),
                            instant(rs, "last_success"), rs.getInt("servers"), rs.getInt("problems"),
                            rs.getInt("unknown_to_nova"), rs.getString("error"), rs.getLong("anomalies")))
                    .list();
            return new Snapshot(clock.instant(), command, runs, coverage(periods), reconciliation, lastSuccess,
                    timelines);
        });
    }

    private record PeriodRow(String cloud, String scope, String status, Period period) {
    }

    /** Folds the periods of report.coverage (in time order per cloud and scope) into one summary each. */
    static List<Coverage> coverage(List<PeriodRow> rows) {
        Map<List<String>, List<PeriodRow>> byScope = new LinkedHashMap<>();
        for (PeriodRow row : rows) {
            byScope.computeIfAbsent(List.of(row.cloud(), row.scope()), key -> new ArrayList<>()).add(row);
        }
        List<Coverage> coverage = new ArrayList<>();
        byScope.forEach((key, periods) -> {
            Instant first = null;
            Instant loadedUntil = null;
            Instant extractedUntil = null;
            long loaded = 0;
            long provisionalWindows = 0;
            List<Period> provisional = new ArrayList<>();
            for (PeriodRow row : periods) {
                switch (row.status()) {
                    case "loaded" -> {
                        loaded += row.period().windows();
                        loadedUntil = row.period().end();
                    }
                    case "provisional" -> {
                        provisionalWindows += row.period().windows();
                        provisional.add(row.period());
                    }
                    default -> {
                        continue;
                    }
                }
                first = first == null ? row.period().start() : first;
                extractedUntil = row.period().end();
            }
            List<Period> gaps = new ArrayList<>();
            long behind = 0;
            for (PeriodRow row : periods) {
                if ("missing".equals(row.status())) {
                    if (extractedUntil != null && !row.period().end().isAfter(extractedUntil)) {
                        gaps.add(row.period());
                    } else {
                        behind += row.period().windows();
                    }
                }
            }
            coverage.add(new Coverage(key.get(0), key.get(1), first, loadedUntil, loaded, provisionalWindows,
                    provisional, gaps, behind));
        });
        return coverage;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}

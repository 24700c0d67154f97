package org.osmetrics.cli;

import org.osmetrics.ExitCode;
import org.osmetrics.Phrases;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.load.Database;
import org.osmetrics.report.CloudKeys;
import org.osmetrics.report.PrometheusMetrics;
import org.osmetrics.report.Status;
import org.osmetrics.report.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code os-metrics status}: the ledger's last runs, coverage, reconciliation problems; monitoring output. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the last runs, coverage and reconciliation problems; monitoring output.",
            "Lists the last runs (when, what, how long, rows, result), the coverage of each cloud and scope (first "
                + "and last loaded window, gaps, provisional windows) and reconciliation problems. For monitoring: "
                + "--fail-if-stale exits non-zero when the cron job stopped succeeding, and --metrics-file writes the "
                + "figures for node_exporter's textfile collector."},
        footer = {"", "Exit codes: 0 ok; with --fail-if-stale, 4 when stale (7 when the runs since the last success",
            "loaded data that did not reconcile); 5 database error."})
final class StatusCommand implements Runnable {
    private static final int MAX_GAPS_SHOWN = 5;
    /** Columns of the runs table aligned right: run, took, rows. */
    private static final Set<Integer> RUN_COLUMNS_RIGHT_ALIGNED = Set.of(0, 5, 6);

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10",
            description = "How many of the latest runs to list (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--command", paramLabel = "NAME", defaultValue = "run",
            description = "Whose runs count for --fail-if-stale and the last-run metrics (default: ${DEFAULT-VALUE},"
                    + " the cron job).")
    String command;

    @Option(names = "--cloud", paramLabel = "KEY",
            description = "Only this cloud (its key, as the coverage lines show it); default: every cloud.")
    String cloud;

    @Option(names = "--fail-if-stale", paramLabel = "DURATION", converter = TimeArguments.DurationConverter.class,
            description = "Exit 4 (7 if the runs since did not reconcile) when the last successful run of a cloud and"
                    + " scope ended longer ago than this, e.g. 2h, or none ever succeeded.")
    Duration failIfStale;

    @Option(names = "--metrics-file", paramLabel = "PATH",
            description = "Also write the figures in Prometheus text format to PATH (atomically, readable as the"
                    + " umask allows), e.g. a file os_metrics.prom in node_exporter's textfile directory.")
    Path metricsFile;

    @Option(names = "--json", description = "Print the status as one JSON document for scripts (README, \"status"
            + " --json\") instead of the text.")
    boolean json;

    @Mixin
    QuietOption quiet;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (runs < 0) {
            throw OsMetricsException.usage("--runs must be 0 or more");
        }
        if (failIfStale != null && (failIfStale.isNegative() || failIfStale.isZero())) {
            throw OsMetricsException.usage("--fail-if-stale must be positive, e.g. 2h");
        }
        Status.Snapshot snapshot;
        try (Database db = database.openMigrated()) {
            if (cloud != null) {
                CloudKeys.require(cloud, CloudKeys.read(db.dataSource()));
            }
            snapshot = new Status(db.jdbi(), Clock.systemUTC()).read(runs, command, cloud);
        }
        if (!quiet.on() && json) {
            try {
                StatusJson.write(spec.commandLine().getOut(), snapshot, failIfStale);
            } catch (IOException e) {
                throw OsMetricsException.usage("cannot write to standard output: " + e.getMessage());
            }
        } else if (!quiet.on()) {
            print(spec.commandLine().getOut(), snapshot);
        }
        if (metricsFile != null) {
            PrometheusMetrics.write(metricsFile, snapshot);
        }
        if (failIfStale != null) {
            failIfStale(snapshot, failIfStale, cloud);
        }
    }

    static void print(PrintWriter out, Status.Snapshot s) {
        out.println("os-metrics status at " + Text.time(s.at()));
        out.println();
        out.println("Last runs (newest first):");
        if (s.runs().isEmpty()) {
            out.println("  none yet: 'os-metrics run' (cron) or 'os-metrics backfill' load data");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"run", "command", "scope", "started (UTC)", "range", "took", "rows", "result"});
            for (Status.Run run : s.runs()) {
                rows.add(new String[] {Long.toString(run.runId()), run.command(),
                    Text.abbreviate(run.scope() == null ? "-" : run.scope(), 13), Text.time(run.startedAt()),
                    Text.range(run.rangeStart(), run.rangeEnd()), run.duration().map(Text::duration).orElse("-"),
                    String.format(Locale.ROOT, "%,d", run.rows()),
                    run.result() + (run.error() == null ? "" : ": " + run.error())});
            }
            Text.table(out, rows, RUN_COLUMNS_RIGHT_ALIGNED);
        }
        out.println();
        out.println("Coverage:");
        if (s.coverage().isEmpty()) {
            out.println("  nothing loaded yet");
        }
        for (Status.Coverage c : s.coverage()) {
            out.printf(Locale.ROOT, "  %s, %s: loaded %s .. %s (%s)%n", c.cloud(),
                    "*".equals(c.scope()) ? "all projects" : "project " + c.scope(), Text.time(c.firstWindow()),
                    c.loadedUntil() == null ? "(none complete)" : Text.time(c.loadedUntil()),
                    Phrases.count(c.loadedWindows(), "window"));
            List<Status.Period> gaps = c.gaps();
            out.printf(Locale.ROOT, "    gaps: %s%n", gaps.isEmpty() ? "none" : String.format(Locale.ROOT,
                    "%s in %s: %s%s (fill them: os-metrics backfill --from .. --to ..)",
                    Phrases.count(c.gapWindows(), "window"), Phrases.count(gaps.size(), "period"), String.join(", ", gaps.stream().limit(MAX_GAPS_SHOWN)
                            .map(g -> Text.range(g.start(), g.end())).toList()),
                    gaps.size() > MAX_GAPS_SHOWN ? ", ..." : ""));
            out.printf(Locale.ROOT, "    provisional: %s%n", c.provisional().isEmpty() ? "none"
                    : String.format(Locale.ROOT, "%s (%s), replaced by the next run",
                            Phrases.count(c.provisionalWindows(), "window"),
                            String.join(", ", c.provisional().stream().map(p -> Text.range(p.start(), p.end())).toList())));
            if (c.behindWindows() > 0) {
                out.printf(Locale.ROOT, "    behind: %s since the last extracted one%n",
                        Phrases.count(c.behindWindows(), "closed window"));
            }
        }
        out.println();
        out.println("Reconciliation:");
        if (s.reconciliation().isEmpty()) {
            out.println("  nothing loaded yet");
        }
        for (Status.Reconciliation r : s.reconciliation()) {
            if (r.mismatches() == 0 && r.anomalies() == 0 && r.pendingRestatements() == 0) {
                out.printf(Locale.ROOT, "  %s: every loaded range matches Nova's totals; no anomalies%n", r.cloud());
                continue;
            }
            out.printf(Locale.ROOT, "  %s: %s not matching Nova's totals%s; %s"
                            + " (metrics.anomaly); %s not applied (metrics.restatement)%n", r.cloud(),
                    Phrases.count(r.mismatches(), "project range"),
                    r.firstMismatch() == null ? "" : " (first " + Text.time(r.firstMismatch()) + ")",
                    Phrases.count(r.anomalies(), "anomaly"), Phrases.count(r.pendingRestatements(), "restatement"));
        }
        if (!s.timelines().isEmpty()) {
            out.println();
            out.println("Timelines (Nova's instance actions):");
            for (Status.Timelines t : s.timelines()) {
                String latest = t.lastError() != null ? "failed: " + t.lastError()
                        : Phrases.count(t.servers(), "server") + ", " + Phrases.count(t.problems(), "problem")
                                + (t.unknownToNova() == 0 ? "" : ", " + Phrases.count(t.unknownToNova(), "server")
                                        + " unknown to Nova");
                out.printf(Locale.ROOT, "  %s: last read %s%s; latest load %s: %s; %s recorded%n", t.cloud(),
                        t.lastSuccess() == null ? "never" : Text.time(t.lastSuccess()),
                        t.lastSuccess() == null ? "" : " (" + Text.duration(Duration.between(t.lastSuccess(), s.at())) + " ago)",
                        Text.time(t.lastLoad()), latest, Phrases.count(t.anomalies(), "timeline anomaly"));
            }
        }
        out.println();
        if (s.lastSuccess().isEmpty()) {
            out.printf("Last successful '%s': never%n", s.command());
        }
        for (Status.LastSuccess last : s.lastSuccess()) {
            out.printf(Locale.ROOT, "Last successful '%s' of %s, scope %s: %s%n", s.command(), last.cloud(), last.scope(),
                    last.finishedAt() == null ? "never" : Text.time(last.finishedAt()) + " ("
                            + Text.duration(Duration.between(last.finishedAt(), s.at())) + " ago)");
        }
        out.flush();
    }

    /** Throws exit 4 (7 when the runs since did not reconcile) when a scope's last success is too old. */
    static void failIfStale(Status.Snapshot s, Duration maxAge, String cloud) {
        if (s.lastSuccess().isEmpty()) {
            throw new OsMetricsException(ExitCode.SOURCE, "stale: no '" + s.command() + "' is recorded "
                    + (cloud == null ? "in this database" : "for cloud " + cloud) + ";"
                    + " schedule 'os-metrics " + s.command() + "' (see README, 'Why regular runs matter')");
        }
        List<Status.LastSuccess> stale = s.staleScopes(maxAge);
        if (stale.isEmpty()) {
            return;
        }
        Status.LastSuccess first = stale.get(0);
        String more = stale.size() > 1 ? " (and " + Phrases.count(stale.size() - 1, "more stale scope") + ")" : "";
        if (first.lastAttempt() == null) {
            throw new OsMetricsException(ExitCode.SOURCE, String.format(Locale.ROOT, "stale: %s, scope %s was only"
                    + " backfilled, no '%s' is recorded for it; schedule 'os-metrics %s' (see README, 'Why regular runs"
                    + " matter')%s", first.cloud(), first.scope(), s.command(), s.command(), more));
        }
        boolean reconciliation = "reconciliation_failed".equals(first.latestStatus());
        String since = first.finishedAt() == null ? "never succeeded"
                : "last succeeded at " + Text.time(first.finishedAt()) + ", "
                        + Text.duration(Duration.between(first.finishedAt(), s.at())) + " ago";
        throw new OsMetricsException(reconciliation ? ExitCode.RECONCILIATION : ExitCode.SOURCE, String.format(Locale.ROOT,
                "stale: '%s' of %s, scope %s %s (limit %s); latest run: %s%s", s.command(), first.cloud(), first.scope(),
                since, Phrases.duration(maxAge), first.latestStatus() == null ? "still running" : first.latestStatus(), more));
    }

    /** Formatting of times and durations for the tables. */
    static final class Text {
        private Text() {
        }

        static String time(Instant instant) {
            if (instant == null) {
                return "-";
            }
            String text = instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            return text.endsWith(":00Z") ? text.substring(0, text.length() - 4) + "Z" : text;
        }

        static String range(Instant start, Instant end) {
            if (start == null || end == null) {
                return "-";
            }
            return compact(start) + ".." + compact(end);
        }

        /** {@code 2026-11-01} for midnight, else {@code 2026-11-01T06:00Z}. */
        private static String compact(Instant instant) {
            String text = time(instant);
            return text.endsWith("T00:00Z") ? text.substring(0, 10) : text;
        }

        static String duration(Duration duration) {
            long seconds = duration.getSeconds();
            if (seconds < 60) {
                return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
            }
            if (seconds < 3600) {
                return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
            }
            if (seconds < 172_800) {
                return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
            }
            return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds / 3600 % 24);
        }

        /** Rows of cells in columns as wide as their widest cell, two spaces apart; the last column unpadded. */
        static void table(PrintWriter out, List<String[]> rows, Set<Integer> rightAligned) {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(" ");
                for (int i = 0; i < columns; i++) {
                    String pad = " ".repeat(i == columns - 1 ? 0 : width[i] - row[i].length());
                    line.append(' ').append(i == 0 ? "" : " ");
                    line.append(rightAligned.contains(i) ? pad + row[i] : row[i] + pad);
                }
                out.println(line.toString().stripTrailing());
            }
        }

        static String abbreviate(String text, int width) {
            return text.length() <= width ? text : text.substring(0, width - 1) + "…";
        }
    }
}

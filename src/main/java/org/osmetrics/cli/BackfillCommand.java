package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osmetrics.Cancellation;
import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.load.Database;
import org.osmetrics.load.LoadResult;
import org.osmetrics.transform.WindowGrid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code os-metrics backfill}: a historical range, resumable, extracted in parallel, loaded chunk by chunk. */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a historical range once, resumably, extracting chunks in parallel.",
            "Plans the call-span chunks of [--from, --to), skips those a complete extraction of the scope already "
                + "covers (unless --force), extracts up to --parallel chunks at once and loads each in its own "
                + "transaction. After a crash or kill, run the same command again: the result is the same as one "
                + "uninterrupted run. Holds the cloud's lock throughout (a 'run' meanwhile exits 6). Warns when Nova no "
                + "longer lists servers this database recorded alive in a range, or when a range has far fewer servers "
                + "than the ranges both before and after it (Nova archived or purged deleted instances): see README, "
                + "'Why regular runs matter'. Refuses a --from before 2010-10-21 or in the future, and a range of more "
                + "than 10 years without --allow-long-range."})
final class BackfillCommand implements Runnable {

    @Option(names = "--from", required = true, paramLabel = "DATE", converter = TimeArguments.InstantConverter.class,
            description = "Start of the range (UTC), e.g. 2026-01-01; rounded down to the window grid.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "DATE", converter = TimeArguments.InstantConverter.class,
            description = "End of the range (exclusive, UTC), rounded up to the grid; a range reaching now ends at the"
                    + " open window, which is stored as provisional.")
    Instant to;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RunCommand.ScopeOptions scopeOptions;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "" + Backfill.DEFAULT_PARALLEL,
            description = "Chunks extracted at once, each on its own connection (1 to " + Backfill.MAX_PARALLEL
                    + ", default: ${DEFAULT-VALUE}); loading stays one transaction per chunk.")
    int parallel;

    @Option(names = "--force", description = "Extract chunks already loaded again; closed windows change only with"
            + " --restate (differences are logged in metrics.restatement).")
    boolean force;

    @Option(names = "--restate", description = "Apply differences that Nova now reports for closed windows already"
            + " recorded.")
    boolean restate;

    @Option(names = "--window", paramLabel = "DURATION", converter = WindowConverter.class,
            description = "Window grid of a new cloud: 1h (default) or 1d. Fixed once the cloud has data.")
    WindowGrid window;

    @Option(names = "--strict", description = "Exit 7 when the data does not reconcile with Nova's totals (it is"
            + " loaded and flagged either way).")
    boolean strict;

    @Option(names = "--no-timelines", description = "Load usage only: do not read the instance actions of the"
            + " servers the range lists (each server's whole list, once per backfill).")
    boolean noTimelines;

    @Option(names = "--allow-long-range", description = "Backfill a range of more than 10 years (refused without it:"
            + " a typo in a year would plan thousands of calls). No --from may be before 2010-10-21, OpenStack's first"
            + " release.")
    boolean allowLongRange;

    @Mixin
    QuietOption quiet;

    @Mixin
    OpenStackOptions openstack;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Cancellation cancellation = Main.cancellationOf(spec);
        cancellation.observe();
        Clock clock = Clock.systemUTC();
        Backfill.checkRange(from, to, allowLongRange, clock.instant()); // the command line first, then credentials
        OpenStackSettings settings = openstack.settings();
        Backfill.Request request = new Backfill.Request(arguments(), RunCommand.ScopeOptions.choice(scopeOptions),
                from, to, window, callSpan(settings), parallel, force, restate, strict, allowLongRange,
                !noTimelines);
        PrintWriter err = spec.commandLine().getErr();
        ProgressListener listener = new ProgressListener(err, quiet.on());
        Backfill.Summary summary;
        try (Database db = database.openMigrated()) {
            summary = new Backfill(db, clock, cancellation)
                    .run(OpenStackUsageSource.connector(settings, clock)::get, request, listener);
        } finally {
            listener.close();
        }
        report(spec.commandLine().getOut(), err, summary, quiet.on());
        if (!summary.reconciled()) {
            String message = String.format(Locale.ROOT, "%s: the data does not reconcile with Nova's figures"
                    + " (loaded and flagged; see metrics.anomaly and metrics.nova_totals for run %d)",
                    Phrases.count(summary.anomalies(), "anomaly"), summary.runId());
            if (strict) {
                throw new OsMetricsException(ExitCode.RECONCILIATION, message);
            }
            err.println("backfill: warning: " + message);
            err.flush();
        }
    }

    /** The summary (unless quiet), then the warnings: usage lost at the source, seen or suspected. */
    static void report(PrintWriter out, PrintWriter err, Backfill.Summary s, boolean quiet) {
        if (!quiet) {
            printSummary(out, s);
        }
        RunCommand.printTimelines(err, "backfill", s.timelines());
        for (Backfill.VanishedServers v : s.vanishedServers()) {
            err.printf(Locale.ROOT, "backfill: warning: %s..%s: Nova no longer lists %s this database recorded"
                            + " alive then (%s%s): it has archived or purged them (or moved their launch time: resize, rebuild...),"
                            + " and their usage of that time is lost at the source; what is recorded of it is kept unless"
                            + " --restate (README, 'Why regular runs matter')%n",
                    v.start(), v.end(), Phrases.count(v.servers(), "server"), String.join(", ", v.examples()),
                    v.servers() > v.examples().size() ? ", ..." : "");
        }
        for (Backfill.SuspectedTruncation t : s.suspectedTruncations()) {
            err.printf(Locale.ROOT, "backfill: warning: %s..%s lists %s, under half as many as the ranges both"
                            + " before (median %.0f) and after it (median %.0f): Nova has probably archived or purged"
                            + " deleted instances of that time, and that usage is lost at the source (README, 'Why"
                            + " regular runs matter')%n", t.start(), t.end(), Phrases.count(t.servers(), "server"), t.medianBefore(), t.medianAfter());
        }
        err.flush();
    }

    private static void printSummary(PrintWriter out, Backfill.Summary s) {
        out.printf(Locale.ROOT, "backfill: %,d of %s loaded (%,d already loaded, skipped): %s,"
                        + " %s, %s in %.1f s (%s, %s..%s%s, run %d)%n", s.chunks() - s.skipped(),
                Phrases.count(s.chunks(), "chunk"), s.skipped(), Phrases.count(s.windows(), "window"),
                Phrases.count(s.servers(), "server"), Phrases.count(s.rows(), "row"), s.elapsed().toMillis() / 1000.0, s.scope(),
                s.from(), s.to(), s.provisional() ? ", last window provisional" : "", s.runId());
        if (s.restatements() > 0) {
            out.printf(Locale.ROOT, "backfill: %s of closed windows logged (see metrics.restatement)%n",
                    Phrases.count(s.restatements(), "restatement"));
        }
        out.flush();
    }

    /** --call-span when given, else the backfill's own default (a month: Nova's time follows servers, not span). */
    private Duration callSpan(OpenStackSettings settings) {
        return spec.commandLine().getParseResult().hasMatchedOption("--call-span") ? settings.tuning().callSpan()
                : Backfill.DEFAULT_CALL_SPAN;
    }

    /** The options that shape the data, for the ledger: never credentials. */
    private String arguments() {
        List<String> args = new ArrayList<>(List.of("--from " + from, "--to " + to));
        if (scopeOptions != null && scopeOptions.allProjects) {
            args.add("--all-projects");
        } else if (scopeOptions != null) {
            args.add("--project " + scopeOptions.project);
        }
        args.add("--parallel " + parallel);
        if (window != null) {
            args.add("--window " + window.label());
        }
        for (String flag : new String[] {force ? "--force" : null, restate ? "--restate" : null, strict ? "--strict" : null,
                allowLongRange ? "--allow-long-range" : null, noTimelines ? "--no-timelines" : null}) {
            if (flag != null) {
                args.add(flag);
            }
        }
        return String.join(" ", args);
    }

    /** A progress bar over the windows of the planned chunks, started once the plan is known. */
    private static final class ProgressListener implements Backfill.Listener, AutoCloseable {
        private final PrintWriter err;
        private final boolean quiet;
        private Progress progress = Progress.disabled();

        ProgressListener(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void planned(int toLoad, long windows, int skipped) {
            if (!quiet && skipped > 0) {
                err.printf(Locale.ROOT, "backfill: %s already loaded, skipped; %,d to load%n",
                        Phrases.count(skipped, "chunk"), toLoad);
                err.flush();
            }
            progress = Progress.start("backfill", "windows", windows, err, quiet);
        }

        @Override
        public void loaded(LoadResult result) {
            progress.advance(result.windows());
        }

        @Override
        public void close() {
            progress.close();
        }
    }
}

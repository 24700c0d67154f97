package org.osmetrics.cli;

import org.osmetrics.ExitCode;
import org.osmetrics.Phrases;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.pipeline.CatchUp;
import org.osmetrics.pipeline.TimelineExtraction;
import org.osmetrics.load.Database;
import org.osmetrics.transform.WindowGrid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code os-metrics run}: the cron entry point, catching up from the last loaded window to now. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load the usage since the last run (cron entry point): extract from the end of the last"
                + " complete load of the scope (first run: --initial-lookback ago) up to now, load it, and print a"
                + " one-line summary. A window still open is stored as provisional and replaced by the next run.")
final class RunCommand implements Runnable {

    static final class ScopeOptions {
        @Option(names = "--project", paramLabel = "ID", converter = ProjectConverter.class,
                description = "One project: its id, or a name that Keystone resolves to one id (default: the project"
                        + " the credentials are scoped to).")
        String project;

        @Option(names = "--all-projects", description = "Every project (Nova's admin-only list call).")
        boolean allProjects;

        /** The projects asked for: these options, or the credentials' project when none was given. */
        static ScopeChoice choice(ScopeOptions options) {
            if (options == null) {
                return ScopeChoice.credentialsProject();
            }
            return options.allProjects ? ScopeChoice.allProjects() : ScopeChoice.project(options.project);
        }
    }

    /** A project id or name: refused at once when empty, before any database or network work. */
    static final class ProjectConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("a project id (or name) is required, not an empty value");
            }
            return value;
        }
    }

    /** A window grid from a duration: {@code 1h}, {@code 1d}. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ScopeOptions scopeOptions;

    @Option(names = "--window", paramLabel = "DURATION", converter = WindowConverter.class,
            description = "Window grid of the stored usage: 1h (default for a new cloud) or 1d. Fixed per cloud once"
                    + " data exists; a different value is refused.")
    WindowGrid window;

    @Option(names = "--initial-lookback", paramLabel = "DURATION", defaultValue = "24h",
            converter = TimeArguments.DurationConverter.class,
            description = "Where the first run of a scope starts: this long before now (default: ${DEFAULT-VALUE}).")
    Duration initialLookback;

    @Option(names = "--strict", description = "Exit 7 when the data does not reconcile with Nova's totals"
            + " (it is loaded and flagged either way).")
    boolean strict;

    @Option(names = "--restate", description = "Apply differences that Nova now reports for closed windows already"
            + " recorded (otherwise they are only logged in metrics.restatement).")
    boolean restate;

    @Option(names = "--no-timelines", description = "Load usage only: do not read the instance actions of the"
            + " servers that changed since the last run (server timelines, 'Usage as it ran').")
    boolean noTimelines;

    @Option(names = "--print-cloud-key", description = "First print the key of the cloud the credentials reach, alone on"
            + " a line (also with --quiet), once logged in: for scripts that then export it ('export --cloud KEY').")
    boolean printCloudKey;

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
        OpenStackSettings settings = openstack.settings();
        CatchUp.Request request = request("run", settings.tuning().callSpan());
        Clock clock = Clock.systemUTC();
        try (Database db = database.openMigrated();
             UsageSource source = OpenStackUsageSource.connect(settings, clock)) {
            if (printCloudKey) {
                spec.commandLine().getOut().println(source.cloudKey());
                spec.commandLine().getOut().flush();
            }
            CatchUp.Summary summary = new CatchUp(db, clock, cancellation).run(source, request, range -> { });
            report(spec.commandLine().getOut(), "run", summary, strict, restate, quiet.on());
        }
    }

    CatchUp.Request request(String command, Duration callSpan) {
        if (initialLookback.isNegative() || initialLookback.isZero()) {
            throw OsMetricsException.usage("--initial-lookback must be positive, e.g. 24h");
        }
        return new CatchUp.Request(command, arguments(), ScopeOptions.choice(scopeOptions), window,
                callSpan, initialLookback, strict, restate, !noTimelines);
    }

    /** The options that shape the data, for the ledger: never credentials. */
    private String arguments() {
        List<String> args = new ArrayList<>();
        if (scopeOptions != null && scopeOptions.allProjects) {
            args.add("--all-projects");
        } else if (scopeOptions != null) {
            args.add("--project " + scopeOptions.project);
        }
        if (window != null) {
            args.add("--window " + window.label());
        }
        args.add("--initial-lookback " + Phrases.duration(initialLookback));
        if (strict) {
            args.add("--strict");
        }
        if (restate) {
            args.add("--restate");
        }
        if (noTimelines) {
            args.add("--no-timelines");
        }
        return String.join(" ", args);
    }

    /**
     * Prints the one-line summary (plus a line per problem), and fails with exit 7 when {@code strict} and
     * the data did not reconcile.
     */
    static void report(PrintWriter out, String command, CatchUp.Summary s, boolean strict, boolean restate,
            boolean quiet) {
        if (!quiet) {
            printSummary(out, command, s, restate);
        }
        if (s.advice() != null) {
            out.println(command + ": warning: " + s.advice());
            out.flush();
        }
        printTimelines(out, command, s.timelines());
        if (!s.reconciled()) {
            String message = String.format(Locale.ROOT, "%s: the data does not reconcile with Nova's figures"
                    + " (loaded and flagged; see metrics.anomaly and metrics.nova_totals for run %d)",
                    Phrases.count(s.anomalies(), "anomaly"), s.runId());
            if (strict) {
                throw new OsMetricsException(ExitCode.RECONCILIATION, message);
            }
            out.println(command + ": warning: " + message);
            out.flush();
        }
    }

    private static void printSummary(PrintWriter out, String command, CatchUp.Summary s, boolean restate) {
        out.printf(Locale.ROOT, "%s: %s, %s, %s in %.1f s (%s, %s..%s%s)%n", command,
                Phrases.count(s.windows(), "window"), Phrases.count(s.servers(), "server"), Phrases.count(s.rows(), "row"), s.elapsed().toMillis() / 1000.0, s.scope(), minutes(s.from()),
                minutes(s.to()), s.provisional() ? ", last window provisional" : "");
        if (s.restatements() > 0) {
            out.printf(Locale.ROOT, "%s: %s of closed windows %s (see metrics.restatement)%n", command,
                    Phrases.count(s.restatements(), "restatement"), restate ? "applied" : "logged, not applied: run with --restate to apply them");
        }
        out.flush();
    }

    /**
     * The timeline extraction's warning, if any (what it read goes to the log and {@code status}: the summary stays
     * one line).
     */
    static void printTimelines(PrintWriter out, String command, TimelineExtraction.Summary t) {
        if (t != null && t.warning() != null) {
            out.println(command + ": warning: " + t.warning());
            out.flush();
        }
    }

    private static String minutes(java.time.Instant instant) {
        String text = instant.toString();
        return text.endsWith(":00Z") && text.length() == 20 ? text.substring(0, 16) + "Z" : text;
    }
}

package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osmetrics.OsMetricsException;
import org.osmetrics.bench.Bench;
import org.osmetrics.bench.Scratch;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.sim.Latency;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.transform.WindowGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code os-metrics bench}: the reproducible benchmark (BENCHMARKS.md). Works in a scratch database of its own
 * (a fresh embedded PostgreSQL, or a new database on the --db-url server), dropped at the end.
 */
@Command(name = "bench", resourceBundle = "org.osmetrics.cli.BenchCommand", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the pipeline against the simulated cloud, next to a plain COPY of the same rows"
                + " into the same database (figures: the file BENCHMARKS.md). Uses a scratch database, dropped"
                + " afterwards.")
final class BenchCommand implements Runnable {

    /** The sizes of {@code --scale full}: the one year hourly for 10,000 servers (87.6 million rows). */
    private static final int FULL_SERVERS = 10_000;

    @Option(names = "--scenario", split = ",", paramLabel = "NAME",
            description = "Scenarios to run, comma-separated: extract, load, backfill, report, export (default: these"
                    + " five), call (only when named: one long usage call, for memory), soak (only when named: a month"
                    + " of 'run' every 15 minutes with faults; see README), access (only when named: the monthly"
                    + " reports timed for a reader and a tenant, in a database owned by a new role that is no"
                    + " superuser; needs a superuser).")
    List<String> scenarios = List.of();

    @Option(names = "--servers", defaultValue = "2000",
            description = "Always-on servers of the load scenario (default: ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--days", defaultValue = "90",
            description = "Days of hourly windows of the load scenario, loaded and then re-run (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--extract-servers", defaultValue = "100000",
            description = "Servers of the generated cloud of the extract scenario (default: ${DEFAULT-VALUE}).")
    int extractServers;

    @Option(names = "--extract-projects", defaultValue = "200",
            description = "Projects of the extract scenario (default: ${DEFAULT-VALUE}).")
    int extractProjects;

    @Option(names = "--backfill-servers", defaultValue = "10000",
            description = "Always-on servers of the backfill scenario (default: ${DEFAULT-VALUE}).")
    int backfillServers;

    @Option(names = "--backfill-days", defaultValue = "365",
            description = "Days of the backfill scenario (default: ${DEFAULT-VALUE}).")
    int backfillDays;

    @Option(names = "--window", defaultValue = "1d", converter = WindowConverter.class,
            description = "Window grid of the backfill scenario: 1d or 1h (default: ${DEFAULT-VALUE}).")
    WindowGrid window;

    @Option(names = "--backfill-call-span", paramLabel = "DURATION", converter = TimeArguments.DurationConverter.class,
            description = "Call span of the backfill scenario (default: the backfill command's, 30d).")
    Duration backfillCallSpan = Backfill.DEFAULT_CALL_SPAN;

    @Option(names = "--backfill-parallel", paramLabel = "N",
            description = "Chunks the backfill scenario extracts at once (default: the backfill command's, "
                    + Backfill.DEFAULT_PARALLEL + ").")
    int backfillParallel = Backfill.DEFAULT_PARALLEL;

    @Option(names = "--backfill-timelines", description = "The backfill scenario reads every server's instance actions"
            + " too, as the backfill command does unless --no-timelines (each bench server has a create, every fifth a"
            + " stop and a start); by default it loads usage only, as rounds 1 to 5a.")
    boolean backfillTimelines;

    @Option(names = "--no-latency", description = "The simulator answers the backfill and call scenarios as fast as"
            + " it can (rounds 1 to 4); by default it takes as long as a Nova 26 would (README, \"Benchmark\").")
    boolean noLatency;

    @Option(names = "--call-servers", defaultValue = "10000",
            description = "Always-on servers of the call scenario (default: ${DEFAULT-VALUE}).")
    int callServers;

    @Option(names = "--call-days", defaultValue = "30",
            description = "Days of hourly windows the one call of the call scenario covers (default: ${DEFAULT-VALUE}).")
    int callDays;

    @Option(names = "--export-rows", defaultValue = "10000000",
            description = "Rows the export scenario writes at most: the first whole UTC days of the fact table that"
                    + " hold that many (the whole table when it is smaller; default: ${DEFAULT-VALUE}).")
    long exportRows;

    @Option(names = "--soak-days", defaultValue = "30",
            description = "Simulated days of the soak scenario, a run every 15 minutes (default: ${DEFAULT-VALUE}).")
    int soakDays;

    @Option(names = "--soak-servers", defaultValue = "200",
            description = "Servers of the soak scenario's cloud (default: ${DEFAULT-VALUE}).")
    int soakServers;

    @Option(names = "--scale", paramLabel = "full",
            description = "'full': the backfill at one year of hourly windows for 10,000 servers (87.6 million rows;"
                    + " about 25 minutes on 2 cores and 65 GB of free disk at its peak).")
    String scale;

    @Option(names = "--markdown", description = "Print the final table as Markdown.")
    boolean markdown;

    @Option(names = "--keep", description = "Keep the scratch database (its location is printed).")
    boolean keep;

    /** Its description for bench: BenchCommand.properties (the server of the scratch database). */
    @Mixin
    DatabaseUrlOption database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        WindowGrid grid = window;
        int fillServers = backfillServers;
        if (scale != null) {
            if (!scale.equals("full")) {
                throw OsMetricsException.usage("--scale takes only 'full', got '" + scale + "'");
            }
            grid = WindowGrid.ofSeconds(3600);
            fillServers = FULL_SERVERS;
        }
        EnumSet<Bench.Scenario> chosen = EnumSet.noneOf(Bench.Scenario.class);
        for (String name : scenarios) {
            try {
                chosen.add(Bench.Scenario.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw OsMetricsException.usage("--scenario " + name + " is not one of extract, load, backfill, call,"
                        + " report, export, soak, access");
            }
        }
        if (backfillParallel < 1 || backfillParallel > Backfill.MAX_PARALLEL) {
            throw OsMetricsException.usage("--backfill-parallel " + backfillParallel + " is out of range: use 1 to "
                    + Backfill.MAX_PARALLEL);
        }
        Bench.Settings settings = new Bench.Settings(chosen, extractProjects, extractServers, servers, days, fillServers,
                scale != null ? 365 : backfillDays, grid, backfillCallSpan, backfillParallel,
                backfillTimelines, noLatency ? null : Latency.nova26(), callServers, callDays, exportRows, soakServers,
                soakDays);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> env = Main.environmentOf(spec);
        boolean owned = chosen.contains(Bench.Scenario.ACCESS);
        DatabaseSettings given = database.settings(null, env);
        try (Scratch scratch = owned ? Scratch.openOwned(given, keep) : Scratch.open(given, keep)) {
            out.printf("bench: %s; %d cores, max heap %d MB, Java %s%n", scratch.description(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"));
            out.flush();
            new Bench(scratch.database(), settings, (sim, clock) -> OpenStackUsageSource.connect(
                    OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), SimCredentials.adminOpenrc(sim.authUrl()),
                            ClientTuning.defaults()), clock), out).withLogins(owned ? scratch : null).run(markdown);
        }
    }

    /** The scratch database: migrated, dropped (or its folder deleted) on close unless kept. */
}

package org.osmetrics.bench;

import java.io.BufferedOutputStream;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.extract.ArchivedUsage;
import org.osmetrics.extract.RawPage;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.pipeline.TimelineExtraction;
import org.osmetrics.pipeline.Transforms;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.Database;
import org.osmetrics.load.LoadOptions;
import org.osmetrics.load.LoadResult;
import org.osmetrics.load.RunLedger;
import org.osmetrics.load.UsageLoader;
import org.osmetrics.report.ExportFormat;
import org.osmetrics.report.ExportRequest;
import org.osmetrics.report.Rate;
import org.osmetrics.report.RateCardRepository;
import org.osmetrics.report.RateResource;
import org.osmetrics.report.ReportCatalog;
import org.osmetrics.report.ProjectAccess;
import org.osmetrics.report.ReportExporter;
import org.osmetrics.sim.Latency;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.transform.WindowGrid;

/**
 * The benchmark: runs each stage of the pipeline against the simulated cloud (over real HTTP) and the given,
 * empty database, and measures in the same run the physical reference (a plain COPY of the same fact rows).
 * Prints one line per stage as it finishes and the whole table at the end. Not thread-safe; one per run.
 */
public final class Bench {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** The end of every simulated range: a fixed past moment, so runs are comparable. */
    static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    /** The stages that can be chosen; all but the soak, the long call and the access timings run by default. */
    public enum Scenario { EXTRACT, LOAD, BACKFILL, CALL, REPORT, EXPORT, SOAK, ACCESS }

    /** Times each query is run per login in the access scenario (the median is reported). */
    static final int ACCESS_RUNS = 5;

    /**
     * Sizes of the scenarios.
     *
     * @param backfillGrid the window grid of the backfill (1d by default, 1h for the full scale)
     * @param exportRows   the export reads the first whole days of the fact table holding this many rows
     * @param backfillCallSpan the backfill's {@code --call-span} (the backfill command's default unless told)
     * @param backfillParallel the backfill's {@code --parallel} (the backfill command's default unless told)
     * @param backfillTimelines whether the backfill reads every server's instance actions too, as the {@code backfill}
     *                     command does unless {@code --no-timelines}
     * @param latency      the simulator's latency during the backfill and the call (null: none, as rounds 1 to 4)
     * @param callServers  servers of the call scenario: one call of {@code callDays} days on the hourly grid
     * @param soakServers  servers of the soak's cloud
     * @param soakDays     simulated days of the soak (a run every 15 minutes)
     */
    public record Settings(Set<Scenario> scenarios, int extractProjects, int extractServers, int loadServers,
            int loadDays, int backfillServers, int backfillDays, WindowGrid backfillGrid, Duration backfillCallSpan,
            int backfillParallel, boolean backfillTimelines, Latency latency, int callServers, int callDays,
            long exportRows, int soakServers, int soakDays) {
        public Settings {
            scenarios = scenarios.isEmpty() ? EnumSet.complementOf(EnumSet.of(Scenario.SOAK, Scenario.CALL, Scenario.ACCESS))
                    : EnumSet.copyOf(scenarios);
            if (extractProjects < 1 || extractServers < 1 || loadServers < 1 || loadDays < 1 || backfillServers < 1
                    || backfillDays < 1 || exportRows < 1 || soakServers < 1 || soakDays < 1 || callServers < 1
                    || callDays < 1) {
                throw OsMetricsException.usage("every bench size (servers, projects, days, export rows) must be at least 1");
            }
        }
    }

    private final Database database;
    private final Settings settings;
    private final BiFunction<SimServer, Clock, UsageSource> connect;
    private final PrintWriter out;
    private final List<Figure> figures = new ArrayList<>();
    private final Meter meter = new Meter();
    /** The owned scratch database whose logins the access scenario makes, or null. */
    private Scratch logins;

    /**
     * @param connect how to connect the extract stage to a simulator, as a user's configuration would
     */
    public Bench(Database database, Settings settings, BiFunction<SimServer, Clock, UsageSource> connect, PrintWriter out) {
        this.database = database;
        this.settings = settings;
        this.connect = connect;
        this.out = out;
    }

    /** For the access scenario: the scratch database owned by a role that is no superuser, to make logins in. */
    public Bench withLogins(Scratch scratch) {
        this.logins = scratch;
        return this;
    }

    /** Runs the chosen scenarios and prints the table; returns it in Markdown as well. */
    public void run(boolean markdown) {
        try (meter) {
            if (settings.scenarios().contains(Scenario.EXTRACT)) {
                extract();
            }
            if (settings.scenarios().contains(Scenario.LOAD)) {
                load();
            }
            if (settings.scenarios().contains(Scenario.BACKFILL)) {
                backfill();
            }
            if (settings.scenarios().contains(Scenario.REPORT)) {
                reports();
            }
            if (settings.scenarios().contains(Scenario.EXPORT)) {
                export();
            }
            if (settings.scenarios().contains(Scenario.CALL)) {
                longCall();
            }
            if (settings.scenarios().contains(Scenario.ACCESS)) {
                access();
            }
            if (settings.scenarios().contains(Scenario.SOAK)) {
                meter.begin();
                add(new Soak(database, new Soak.Settings(settings.soakServers(), settings.soakDays(), Duration.ofMinutes(15),
                        42), out).run(meter));
            }
        } catch (SQLException e) {
            throw OsMetricsException.database("bench: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("bench: " + e.getMessage(), e);
        }
        out.println();
        Table.print(out, figures, markdown);
    }

    private void extract() {
        Instant start = END.minus(Duration.ofDays(1));
        SimCloud cloud = SimCloud.generate(6, settings.extractProjects(), settings.extractServers(), start, END);
        Clock clock = Clock.fixed(END.plusSeconds(3600), ZoneOffset.UTC);
        try (SimServer sim = SimServer.start(cloud, clock); UsageSource source = connect.apply(sim, clock)) {
            meter.begin();
            long baseline = meter.heapUsed();
            long started = System.nanoTime();
            UsageExtraction extraction = source.extract(start, END, Scope.allProjects());
            double seconds = seconds(started);
            String stage = "extract 1 day, " + settings.extractProjects() + " projects";
            add(new Figure(stage, extraction.serverCount(), seconds, meter.sample(), -1, 0, null,
                    String.format(Locale.ROOT, "%d pages; first call of a fresh JVM; simulator in the same JVM, its"
                            + " cloud %.0f MB of the heap", extraction.rawPages().size(), baseline / 1048576.0)));
            List<RawPage> pages = extraction.rawPages();
            extraction = null; // the second pass holds its own
            started = System.nanoTime();
            long servers = source.extract(start, END, Scope.allProjects()).serverCount();
            add(new Figure(stage + ", second pass", servers, seconds(started), null, -1, 0, null,
                    "the same range again, warm JVM; simulator rendering on the same cores"));
            started = System.nanoTime();
            long parsed = 0;
            for (RawPage page : pages) {
                for (UsageExtraction tenant : ArchivedUsage.parse(page.body(), page.url())) {
                    parsed += tenant.serverCount();
                }
            }
            add(new Figure("client parse alone of those pages", parsed, seconds(started), null, -1, 0, null,
                    "the kept raw pages parsed again (no HTTP, no simulator): the client's share"));
        }
    }

    private void load() throws SQLException, IOException {
        Instant start = END.minus(Duration.ofDays(settings.loadDays()));
        SimCloud cloud = BenchClouds.alwaysOn(Math.max(1, settings.loadServers() / 100), settings.loadServers(), start);
        Clock clock = Clock.fixed(END, ZoneOffset.UTC);
        String size = settings.loadServers() + " servers x " + settings.loadDays() + " d hourly";
        try (SimServer sim = SimServer.start(cloud, clock); UsageSource source = connect.apply(sim, clock)) {
            Cloud target = new CloudRepository(database.jdbi()).resolve(source.cloudKey(), WindowGrid.ofSeconds(3600));
            List<Figure> first = loadRange(source, target, start, "load " + size + " (new rows)");
            List<Figure> again = loadRange(source, target, start, "re-run of the loaded range");
            List<Figure> references = CopyReference.measure(database.dataSource(), meter, target.cloudId(), "load rows");
            figures.addAll(references);
            String pk = references.get(1).stage();
            for (Figure figure : first) {
                add(figure.withReference(pk));
            }
            for (Figure figure : again) {
                add(figure.withReference(pk));
            }
        }
    }

    private void backfill() throws SQLException, IOException {
        Instant start = END.minus(Duration.ofDays(settings.backfillDays()));
        SimCloud cloud = BenchClouds.alwaysOn(Math.max(1, settings.backfillServers() / 100), settings.backfillServers(),
                start);
        Clock clock = Clock.fixed(END, ZoneOffset.UTC);
        String size = settings.backfillServers() + " servers x " + settings.backfillDays() + " d "
                + settings.backfillGrid().label();
        try (SimServer sim = SimServer.start(cloud, clock)) {
            sim.setLatency(settings.latency());
            Loaded loaded = backfillRange(sim, clock, settings.backfillGrid(), start, END, settings.backfillCallSpan(),
                    settings.backfillParallel(), settings.backfillTimelines(),
                    "backfill " + size + (settings.backfillTimelines() ? " with timelines" : ""), 30);
            Duration charged = sim.latencyCharged();
            String key;
            try (UsageSource source = connect.apply(sim, clock)) {
                key = source.cloudKey();
            }
            Cloud target = new CloudRepository(database.jdbi()).find(key).orElseThrow();
            List<Figure> references = CopyReference.measure(database.dataSource(), meter, target.cloudId(), "backfill rows");
            figures.addAll(references);
            if (settings.latency() != null) {
                add(sourceTime(loaded.figure().rows(), charged, settings.backfillParallel()));
            }
            if (loaded.firstMonth != null) {
                add(loaded.firstMonth.withReference(references.get(1).stage()));
            }
            add(loaded.figure.withReference(references.get(1).stage()));
        }
    }

    /**
     * The time the latency model alone implies for the backfill's calls: the cost it charged, summed over calls,
     * divided by the calls made at once (the backfill's --parallel: no source can be faster with that many).
     */
    private static Figure sourceTime(long rows, Duration charged, int parallel) {
        double seconds = charged.toNanos() / 1e9 / parallel;
        return new Figure("source time the latency model implies", rows, seconds, null, -1, 0, null,
                String.format(Locale.ROOT, "%.1f s of calls in all, %d at once", charged.toNanos() / 1e9, parallel));
    }

    /**
     * One usage call of {@code callDays} days over {@code callServers} servers on the hourly grid (7.2 M facts for
     * 30 days of 10,000), through the backfill's code path: the memory of the longest call, not of many short ones.
     */
    private void longCall() {
        // calls are cut on the epoch's grid of their span (TimeRange.split): this range is exactly one call
        Duration span = Duration.ofDays(settings.callDays());
        Instant end = Instant.ofEpochSecond(END.getEpochSecond() - Math.floorMod(END.getEpochSecond(), span.toSeconds()));
        Instant start = end.minus(span);
        SimCloud cloud = BenchClouds.alwaysOn(Math.max(1, settings.callServers() / 100), settings.callServers(), start);
        Clock clock = Clock.fixed(end, ZoneOffset.UTC);
        String stage = "one " + settings.callDays() + "-day call, " + settings.callServers() + " servers x 1h";
        try (SimServer sim = SimServer.start(cloud, clock)) {
            sim.setLatency(settings.latency());
            Loaded loaded = backfillRange(sim, clock, WindowGrid.ofSeconds(3600), start, end, span, 1, false, stage, 0);
            add(loaded.figure().withNote("one call of every server, extracted, transformed and loaded in one"
                    + " transaction; peak RSS of the whole JVM (simulator included)"));
        }
    }

    /** A backfill through the {@code backfill} command's code path, and its figures after the first month. */
    private record Loaded(Figure figure, Figure firstMonth) {
    }

    private Loaded backfillRange(SimServer sim, Clock clock, WindowGrid grid, Instant from, Instant to, Duration callSpan,
            int parallel, boolean timelines, String stage, int sampleAfterDays) {
        Backfill.Request request = new Backfill.Request(stage, ScopeChoice.allProjects(), from, to, grid, callSpan, parallel,
                false, false, false, false, timelines);
        int chunks = TimeRange.split(request.from(), request.to(), callSpan).size();
        int sampleAfterRanges = sampleAfterDays <= 0 ? 0
                : (int) Math.max(1, Duration.ofDays(sampleAfterDays).toSeconds() / callSpan.toSeconds());
        long[] rows = {0};
        int[] ranges = {0};
        Figure[] firstMonth = {null};
        meter.begin();
        long started = System.nanoTime();
        Backfill.Summary summary = new Backfill(database, clock).run(() -> connect.apply(sim, clock), request,
                new Backfill.Listener() {
                    @Override
                    public void loaded(LoadResult result) {
                        rows[0] += result.rows();
                        if (++ranges[0] == sampleAfterRanges && sampleAfterRanges < chunks) {
                            firstMonth[0] = new Figure(stage + ", first " + sampleAfterDays + " d", rows[0],
                                    seconds(started), meter.sample(), -1, 0, null,
                                    "memory after " + sampleAfterRanges + " of " + chunks + " ranges");
                        }
                        progress(stage, ranges[0], chunks);
                    }
                });
        double seconds = seconds(started);
        Meter.Sample memory = meter.sample();
        if (!summary.reconciled()) {
            throw new IllegalStateException(stage + " did not reconcile with the simulator: the benchmark is void");
        }
        String read = "";
        if (timelines) {
            TimelineExtraction.Summary actions = summary.timelines();
            if (actions == null || actions.skipped() || actions.warning() != null || actions.read() != actions.listed()) {
                throw new IllegalStateException(stage + " did not read every server's timeline ("
                        + (actions == null ? "none read" : actions.warning()) + "): the benchmark is void");
            }
            read = String.format(Locale.ROOT, ", timelines of %,d servers (%,d actions)", actions.read(),
                    actions.actions());
        }
        long[] size = factTableSize();
        Figure figure = new Figure(stage + " (extract+load)", summary.rows(), seconds, memory, size[0], size[1], null,
                "end to end, backfill --call-span " + Phrases.duration(callSpan) + " --parallel " + parallel
                        + (settings.latency() == null ? ", no simulated latency" : ", simulated latency") + read);
        return new Loaded(figure, firstMonth[0]);
    }

    /**
     * Loads {@code loadDays} one-day ranges from {@code start}, as a backfill would, timing the extract stage
     * (HTTP and parsing) and the load stage (transform and database) apart; reports the table's churn.
     * Returns the load stage's figure, then the extract stage's.
     */
    private List<Figure> loadRange(UsageSource source, Cloud cloud, Instant start, String stage) {
        long[] sizeBefore = factTableSize();
        long[] churnBefore = churn();
        RunLedger ledger = new RunLedger(database.jdbi(), Clock.systemUTC());
        long runId = ledger.start("bench", stage, cloud.cloudId(), "*");
        UsageLoader loader = new UsageLoader(database.jdbi());
        meter.begin();
        long extractNanos = 0;
        long loadNanos = 0;
        long rows = 0;
        long written = 0;
        long servers = 0;
        for (int day = 0; day < settings.loadDays(); day++) {
            Instant from = start.plus(Duration.ofDays(day));
            long started = System.nanoTime();
            UsageExtraction extraction = source.extract(from, from.plus(Duration.ofDays(1)), Scope.allProjects());
            long extracted = System.nanoTime();
            LoadResult result = loader.load(cloud, Transforms.onGrid(cloud, extraction), new LoadOptions(false), runId);
            loadNanos += System.nanoTime() - extracted;
            extractNanos += extracted - started;
            rows += (long) result.servers() * result.windows();
            servers += extraction.serverCount();
            written += result.rows();
            progress(stage, day + 1, settings.loadDays());
        }
        Meter.Sample memory = meter.sample();
        ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
        long[] sizeAfter = factTableSize();
        long[] churnAfter = churn();
        String note = String.format(Locale.ROOT, "rows written %d; table %.1f -> %.1f MB; tuples inserted %d, updated %d,"
                        + " deleted %d, dead now %d", written, sizeBefore[0] / 1048576.0, sizeAfter[0] / 1048576.0,
                churnAfter[0] - churnBefore[0], churnAfter[1] - churnBefore[1], churnAfter[2] - churnBefore[2],
                churnAfter[3]);
        return List.of(
                new Figure(stage + ": load stage", rows, loadNanos / 1e9, memory, sizeAfter[0], sizeAfter[1], null, note),
                new Figure(stage + ": extract stage", servers, extractNanos / 1e9, null, -1, 0, null,
                        "server records over HTTP, " + settings.loadDays() + " calls"),
                new Figure(stage + ": both, in sequence", rows, (loadNanos + extractNanos) / 1e9, null, -1, 0, null, ""));
    }

    /** The month the reports read: the middle of the backfilled range. */
    private Instant reportMonth() {
        return END.minus(Duration.ofDays(Math.min(settings.backfillDays(), 365) / 2))
                .atOffset(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    private long factRowsOf(Instant month) {
        return database.jdbi().withHandle(handle -> handle.createQuery(SQL.locate(Bench.class, "monthFactRows"))
                .bind("from", month).mapTo(Long.class).one());
    }

    /**
     * Issue #19's evidence: the monthly reports over the backfilled year, timed for finance's reader and for a
     * tenant granted one project (row-level security), each the median of {@value #ACCESS_RUNS} runs taken in
     * turn. The database is owned and migrated by a role that is no superuser (row-level security does not apply
     * to superusers): {@link Scratch#openOwned}. Loads the year first when the fact table is empty.
     */
    private void access() throws SQLException {
        if (logins == null) {
            throw OsMetricsException.usage("bench --scenario access needs its own scratch database (BenchCommand)");
        }
        if (factTableSize()[1] == 0) {
            SimCloud cloud = BenchClouds.alwaysOn(Math.max(1, settings.backfillServers() / 100), settings.backfillServers(),
                    END.minus(Duration.ofDays(settings.backfillDays())));
            Clock clock = Clock.fixed(END, ZoneOffset.UTC);
            try (SimServer sim = SimServer.start(cloud, clock)) {
                add(backfillRange(sim, clock, settings.backfillGrid(), END.minus(Duration.ofDays(settings.backfillDays())),
                        END, settings.backfillCallSpan(), settings.backfillParallel(), settings.backfillTimelines(),
                        "backfill "
                        + settings.backfillServers() + " servers x " + settings.backfillDays() + " d "
                        + settings.backfillGrid().label() + " as the owner (no superuser)", 30).figure);
            }
        }
        Instant month = reportMonth();
        boolean rated = database.jdbi().withHandle(handle -> handle.createQuery(SQL.locate(Bench.class, "rated"))
                .mapTo(Boolean.class).one());
        if (!rated) {
            insertRates(month);
        }
        long factRows = factRowsOf(month);
        String stamp = String.valueOf(Clock.systemUTC().millis());
        String reader = "osm_bench_reader_" + stamp;
        String tenant = "osm_bench_tenant_" + stamp;
        logins.createLogin(reader);
        logins.createLogin(tenant);
        String project = database.jdbi().withHandle(handle -> handle.createQuery(SQL.locate(Bench.class, "firstProject"))
                .mapTo(String.class).one());
        ProjectAccess access = new ProjectAccess(database.jdbi());
        access.grant(reader, List.of(), null, true, ProjectAccess.LoginSettings.DEFAULT, "bench --scenario access");
        access.grant(tenant, List.of(project), null, false, ProjectAccess.LoginSettings.DEFAULT, "bench --scenario access");
        javax.sql.DataSource readerSource = logins.loginAs(reader);
        javax.sql.DataSource tenantSource = logins.loginAs(tenant);
        for (String view : List.of("report.invoice_monthly", "report.project_usage_monthly")) {
            double[] readerSeconds = new double[ACCESS_RUNS];
            double[] tenantSeconds = new double[ACCESS_RUNS];
            long[] resultRows = new long[2];
            for (int run = 0; run < ACCESS_RUNS; run++) {
                long started = System.nanoTime();
                resultRows[0] = selectMonth(readerSource, view, month);
                readerSeconds[run] = seconds(started);
                started = System.nanoTime();
                resultRows[1] = selectMonth(tenantSource, view, month);
                tenantSeconds[run] = seconds(started);
            }
            double readerMedian = median(readerSeconds);
            double tenantMedian = median(tenantSeconds);
            add(new Figure(view + " 1 month, reader", factRows, readerMedian, null, -1, 0, null, String.format(Locale.ROOT,
                    "median of %d; %d result rows; runs %s s", ACCESS_RUNS, resultRows[0], runs(readerSeconds))));
            add(new Figure(view + " 1 month, tenant of 1 project", factRows, tenantMedian, null, -1, 0, null,
                    String.format(Locale.ROOT, "median of %d: %.2fx the reader's; %d result rows (project %s); runs %s s",
                            ACCESS_RUNS, tenantMedian / readerMedian, resultRows[1], project, runs(tenantSeconds))));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String runs(double[] seconds) {
        StringBuilder text = new StringBuilder();
        for (double s : seconds) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s));
        }
        return text.toString();
    }

    private void reports() throws SQLException {
        Instant month = reportMonth();
        insertRates(month);
        long factRows = factRowsOf(month);
        for (String view : List.of("report.invoice_monthly", "report.project_usage_monthly")) {
            for (String pass : List.of("cold", "warm")) {
                meter.begin();
                long started = System.nanoTime();
                long resultRows = selectMonth(database.dataSource(), view, month);
                add(new Figure(view + " 1 month (" + pass + ")", factRows, seconds(started), meter.sample(), -1, 0, null,
                        resultRows + " result rows from the month's fact rows; " + factTableSize()[1]
                                + " fact rows in the table"));
            }
        }
    }

    private static long selectMonth(javax.sql.DataSource source, String view, Instant month) {
        return Jdbi.create(source).withHandle(handle -> handle.createQuery(SQL.locate(Bench.class, "selectMonth"))
                .define("view", view)
                .bind("month", month.atOffset(ZoneOffset.UTC))
                .scanResultSet((rows, ctx) -> {
                    long count = 0;
                    for (var result = rows.get(); result.next(); ) {
                        count++;
                    }
                    return count;
                }));
    }

    /** A rate card with a price change in the month, imported as {@code rates import} does. */
    private void insertRates(Instant month) {
        RunLedger ledger = new RunLedger(database.jdbi(), Clock.systemUTC());
        long runId = ledger.start("bench", "rates", null, null);
        Instant change = month.plus(Duration.ofDays(14));
        Instant always = Instant.parse("2000-01-01T00:00:00Z");
        new RateCardRepository(database.jdbi()).importRates(List.of(
                benchRate(RateResource.VCPU_HOUR, null, "0.0125", always, null),
                benchRate(RateResource.RAM_GB_HOUR, null, "0.004", always, change),
                benchRate(RateResource.RAM_GB_HOUR, null, "0.0035", change, null),
                benchRate(RateResource.DISK_GB_HOUR, null, "0.0001", always, null),
                benchRate(RateResource.FLAVOR_HOUR, "m1.large", "0.09", change, null)), true, runId, "bench", "bench");
        ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
    }

    private static Rate benchRate(RateResource resource, String flavor, String price, Instant from, Instant to) {
        return new Rate(resource, flavor, new BigDecimal(price), "EUR", 2, from, to, "bench");
    }

    private void export() throws SQLException, IOException {
        ExportSlice slice = exportSlice();
        Path file = Files.createTempFile("os-metrics-bench-", ".csv");
        try {
            ExportRequest request = new ExportRequest(ReportCatalog.require("server_usage"), slice.from(), slice.to(),
                    List.of(), ExportFormat.CSV);
            meter.begin();
            long started = System.nanoTime();
            long rows;
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                rows = new ReportExporter(database.dataSource()).export(request, stream, done -> { });
            }
            Figure export = new Figure("export server_usage CSV", rows, seconds(started), meter.sample(), -1, 0, null,
                    String.format(Locale.ROOT, "%.0f MB of CSV; %s", Files.size(file) / 1048576.0, slice.label()));
            Figure reference = CopyReference.exportReference(database.dataSource(), meter, slice.from(), slice.to(),
                    "COPY server_usage -> CSV");
            add(reference);
            add(export.withReference(reference.stage()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The windows the export reads: the whole table, or its first whole UTC days holding {@code exportRows} rows. */
    private record ExportSlice(Instant from, Instant to, String label) {
    }

    private ExportSlice exportSlice() {
        // every count goes through the fact table's key (cloud, window_start, ...): no scan of the whole table
        return database.jdbi().withHandle(handle -> {
            List<Integer> clouds = handle.createQuery(SQL.locate(Bench.class, "cloudIds")).mapTo(Integer.class).list();
            Map<String, Object> bounds = handle.createQuery(SQL.locate(Bench.class, "factBounds"))
                    .mapToMap().one();
            if (bounds.get("first") == null) {
                return new ExportSlice(null, null, "the whole fact table");
            }
            Instant from = ((java.sql.Timestamp) bounds.get("first")).toInstant().truncatedTo(ChronoUnit.DAYS);
            Instant last = ((java.sql.Timestamp) bounds.get("last")).toInstant();
            Instant to = from;
            long rows = 0;
            int days = 0;
            while (rows < settings.exportRows() && !to.isAfter(last)) {
                Instant dayStart = to;
                to = to.plus(Duration.ofDays(1));
                rows += handle.createQuery(SQL.locate(Bench.class, "dayRows"))
                        .bind("clouds", clouds.toArray(new Integer[0])).bind("from", dayStart).bind("to", to)
                        .mapTo(Long.class).one();
                days++;
            }
            if (!to.isAfter(last)) {
                return new ExportSlice(from, to, String.format(Locale.ROOT,
                        "the first %d days of the table (%s..%s, --from/--to)", days, from, to));
            }
            return new ExportSlice(null, null, "the whole fact table");
        });
    }

    /** Bytes of the fact table (every partition with its indexes and TOAST) and its row count. */
    private long[] factTableSize() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        SQL.locate(Bench.class, "factTableSize"))
                .map((rs, ctx) -> new long[] {rs.getLong("bytes"), rs.getLong("rows")})
                .one());
    }

    /** Tuples inserted, updated, deleted (cumulative) and dead now, over the fact table's partitions. */
    private long[] churn() {
        try {
            Thread.sleep(1_500); // closed backends flush their statistics within a second
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        SQL.locate(Bench.class, "churn"))
                .map((rs, ctx) -> new long[] {rs.getLong("ins"), rs.getLong("upd"), rs.getLong("del"), rs.getLong("dead")})
                .one());
    }

    private void add(Figure figure) {
        figures.add(figure);
        out.printf(Locale.ROOT, "%-58s %,12d rows %9.2f s %,10.0f rows/s%n", figure.stage(), figure.rows(),
                figure.seconds(), figure.rowsPerSecond());
        out.flush();
    }

    private void progress(String stage, int done, int total) {
        if (done % 30 == 0 || done == total) {
            out.printf(Locale.ROOT, "  %s: %d/%d ranges%n", stage, done, total);
            out.flush();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

}

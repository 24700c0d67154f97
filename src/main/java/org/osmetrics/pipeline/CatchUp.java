package org.osmetrics.pipeline;

import org.osmetrics.Phrases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.KeystoneProject;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.transform.WindowGrid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osmetrics.load.ActionStore;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.Database;
import org.osmetrics.load.ExtractedRanges;
import org.osmetrics.load.LoadOptions;
import org.osmetrics.load.LoadResult;
import org.osmetrics.load.RunLedger;
import org.osmetrics.load.RunLock;
import org.osmetrics.load.TimelineSink;
import org.osmetrics.load.TimelineSinks;
import org.osmetrics.load.UsageLoader;

/**
 * The cron run: under the cloud's lock, extracts everything from the end of the last complete load of the
 * scope (or {@code initialLookback} ago) up to now, in call-span chunks on the window grid, loads each
 * chunk in its own transaction, and keeps the run ledger. Used by {@code run} and {@code demo}.
 */
public final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    /**
     * What to run.
     *
     * @param scope           the projects asked for (resolved against the source when the run starts)
     * @param grid            the window grid, or null for the cloud's (1h for a new cloud)
     * @param callSpan        how much one usage call covers: a whole number of windows
     * @param initialLookback how far back the first run of a scope starts
     * @param strict          a mismatch with Nova's figures fails the run (exit 7, data still loaded)
     * @param arguments       the command line without secrets, for the ledger
     */
    public record Request(String command, String arguments, ScopeChoice scope, WindowGrid grid, Duration callSpan,
            Duration initialLookback, boolean strict, boolean restate, boolean timelines) {
        public Request {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(callSpan, "callSpan");
            Objects.requireNonNull(initialLookback, "initialLookback");
        }

        /** A run of usage only (no timelines): demo, bench, soak. */
        public Request(String command, String arguments, ScopeChoice scope, WindowGrid grid, Duration callSpan,
                Duration initialLookback, boolean strict, boolean restate) {
            this(command, arguments, scope, grid, callSpan, initialLookback, strict, restate, false);
        }
    }

    /**
     * What a run did, for its one-line summary.
     *
     * @param advice a warning for the user, or null: the first run of the credentials' own project found no usage
     *               while the credentials see other projects (--all-projects was probably meant)
     */
    public record Summary(long runId, Scope scope, Instant from, Instant to, int windows, int servers, long rows,
            long restatements, int anomalies, boolean reconciled, boolean provisional, Duration elapsed, String advice,
            TimelineExtraction.Summary timelines) {
    }

    private final Database database;
    private final ExtractedRanges extracted;
    private final Clock clock;
    private final Cancellation cancellation;
    private final TimelineSink timelineSink;

    /** A catch-up that always runs to its end (demo, tests). */
    public CatchUp(Database database, Clock clock) {
        this(database, clock, new Cancellation());
    }

    /** A catch-up that stops between two ranges when {@code cancellation} is requested (exit 1, ledger failed). */
    public CatchUp(Database database, Clock clock, Cancellation cancellation) {
        this(database, clock, cancellation, TimelineSinks.model(database));
    }

    /** A catch-up whose timeline extraction hands the servers' histories to {@code timelineSink}. */
    public CatchUp(Database database, Clock clock, Cancellation cancellation, TimelineSink timelineSink) {
        this.database = database;
        this.extracted = new ExtractedRanges(database.jdbi());
        this.clock = clock;
        this.cancellation = cancellation;
        this.timelineSink = timelineSink;
    }

    /**
     * Runs once. {@code onRange} hears about each loaded range (progress).
     *
     * @throws OsMetricsException exit 6 when another run holds the cloud's lock, 7 with {@code strict} when
     *                            the data did not reconcile (after loading it), or the source's/database's code
     */
    public Summary run(UsageSource source, Request request, Consumer<LoadResult> onRange) {
        Instant started = clock.instant();
        try (RunLock lock = RunLock.acquire(database.dataSource(), source.cloudKey())) {
            Cloud cloud = new CloudRepository(database.jdbi()).resolve(source.cloudKey(), request.grid());
            requireWholeWindows(request.callSpan(), cloud.grid());
            Scope scope = ScopeChoice.resolve(request.scope(), source);
            RunLedger ledger = new RunLedger(database.jdbi(), clock);
            long runId = ledger.start(request.command(), request.arguments(), cloud.cloudId(), scope.key());
            try {
                Summary summary = catchUp(source, request, cloud, scope, runId, ledger, started, onRange);
                ledger.recordServers(runId, summary.servers());
                boolean failed = request.strict() && !summary.reconciled();
                ledger.finish(runId, failed ? RunLedger.Status.RECONCILIATION_FAILED : RunLedger.Status.SUCCEEDED, null);
                return summary;
            } catch (RuntimeException e) {
                ledger.finish(runId, RunLedger.Status.FAILED, oneLine(e));
                throw e;
            }
        }
    }

    private Summary catchUp(UsageSource source, Request request, Cloud cloud, Scope scope, long runId, RunLedger ledger,
            Instant started, Consumer<LoadResult> onRange) {
        WindowGrid grid = cloud.grid();
        Instant now = clock.instant();
        Instant from = extracted.completeUntil(cloud, scope).orElse(null);
        boolean firstOfScope = !extracted.seen(cloud, scope);
        if (from == null) {
            from = grid.floor(now.minus(request.initialLookback()));
        }
        Instant to = grid.ceil(now);
        List<TimeRange> chunks = TimeRange.splitBefore(from, to, request.callSpan(), now);
        if (!chunks.isEmpty()) {
            ledger.coverRange(runId, from, to);
        }
        UsageLoader loader = new UsageLoader(database.jdbi());
        LoadOptions options = new LoadOptions(request.restate());
        LoadTotals totals = new LoadTotals();
        Instant novaNow = null;
        for (int done = 0; done < chunks.size(); done++) {
            TimeRange chunk = chunks.get(done);
            cancellation.checkpoint("after " + done + " of " + Phrases.count(chunks.size(), "range") + " of " + from + ".." + to
                    + " (loaded up to " + chunk.start() + ")");
            UsageExtraction extraction = source.extract(chunk.start(), chunk.end(), scope);
            LoadResult result = loader.load(cloud, Transforms.onGrid(cloud, extraction), options, runId);
            totals.add(extraction, result);
            onRange.accept(result);
            if (extraction.provisional()) {
                novaNow = extraction.stop(); // Nova's clock: the open range is clamped to its "now"
            }
        }
        Map<String, String> names = recordProjectNames(source, loader, cloud);
        TimelineExtraction.Summary timelines = null;
        if (request.timelines() && source.actions().isPresent()) {
            cancellation.checkpoint("after the usage of " + from + ".." + to + ", before the timelines");
            timelines = new TimelineExtraction(new ActionStore(database.jdbi()), clock, timelineSink)
                    .catchUp(source.actions().get(), cloud, scope, novaNow, runId);
        }
        String advice = null;
        if (firstOfScope && request.scope() instanceof ScopeChoice.CredentialsProject && totals.servers() == 0
                && names.size() > 1) {
            // typically an admin's first plain run: its own, empty, admin project where every project was meant
            advice = "project " + scope.projectId() + " (the one the credentials are scoped to) has no usage since "
                    + from + ", and these credentials see " + names.size() + " projects: to load them all, run with "
                    + "--all-projects (and 'os-metrics scopes forget " + scope.projectId() + "' to stop monitoring this one)";
        }
        return new Summary(runId, scope, from, chunks.isEmpty() ? from : to, totals.windows, totals.servers(),
                totals.rows, totals.restatements, totals.anomalies, totals.reconciled, totals.provisional,
                Duration.between(started, clock.instant()), advice, timelines);
    }

    static void requireWholeWindows(Duration callSpan, WindowGrid grid) {
        if (callSpan.getNano() != 0 || callSpan.getSeconds() % grid.seconds() != 0) {
            throw OsMetricsException.usage("--call-span " + Phrases.duration(callSpan) + " is not a whole number of " + grid.label()
                    + " windows: use a multiple of " + grid.label() + " (e.g. 1d)");
        }
    }

    /**
     * Records the projects the source lists (names and domains) and returns their names by id (empty when they could
     * not be read).
     */
    static Map<String, String> recordProjectNames(UsageSource source, UsageLoader loader, Cloud cloud) {
        try {
            List<KeystoneProject> projects = source.projects();
            loader.recordProjects(cloud, projects);
            Map<String, String> names = new LinkedHashMap<>();
            projects.forEach(project -> names.put(project.id(), project.name()));
            return names;
        } catch (OsMetricsException e) {
            // names are a convenience for reports; the usage is loaded, so the run still succeeds
            LOG.warn("project names not updated: {}", e.getMessage());
            return Map.of();
        }
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

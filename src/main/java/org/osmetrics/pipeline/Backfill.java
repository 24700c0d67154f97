package org.osmetrics.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.ExitCode;
import org.osmetrics.extract.ActionSource;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.load.ActionStore;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.Database;
import org.osmetrics.load.ExtractedRanges;
import org.osmetrics.load.LoadOptions;
import org.osmetrics.load.LoadResult;
import org.osmetrics.load.RecordedServers;
import org.osmetrics.load.RunLedger;
import org.osmetrics.load.RunLock;
import org.osmetrics.load.TimelineSink;
import org.osmetrics.load.TimelineSinks;
import org.osmetrics.load.UsageLoader;

/**
 * The backfill of a historical range: under the cloud's lock for the whole run, plans the call-span chunks
 * of {@code [from, to)} on the window grid (the same chunks as {@link CatchUp}), skips the chunks a complete
 * extraction of the same scope already covers (unless forced), extracts up to {@code parallel} chunks at
 * once, each worker on a source of its own, and loads them one by one in chunk order, each in its own
 * transaction. A crash at any moment loses at most the chunks not yet committed; the next backfill skips
 * what is there and gives the same rows as one uninterrupted run.
 *
 * <p>Not thread-safe: one backfill per instance at a time.
 */
public final class Backfill {
    /** Neighbours on each side a chunk's server count is compared with. */
    static final int NEIGHBOURS = 3;
    /** A chunk with fewer servers than this share of the median on each side looks truncated. */
    static final double TRUNCATION_RATIO = 0.5;
    /** Below this median the counts are too small to tell truncation from normal churn. */
    static final int MINIMUM_MEDIAN = 4;
    /** How many of the servers Nova no longer lists a warning names. */
    static final int EXAMPLES = 3;
    public static final int MAX_PARALLEL = 16;
    /**
     * The backfill's call span unless told: a month per call. Nova's time follows the servers of an answer, not
     * its span (issue #20: ~0.5 s per 1,000-server page of a month at 2.40), and the load streams the facts, so
     * longer calls cost neither time at the source nor memory (BENCHMARKS.md, round 5).
     */
    public static final Duration DEFAULT_CALL_SPAN = Duration.ofDays(30);
    /** Chunks extracted at once unless told: enough calls in flight to keep the load busy on the daily grid. */
    public static final int DEFAULT_PARALLEL = 4;
    /** OpenStack's first release (Austin): Nova holds no usage from before. No --from may be earlier. */
    public static final Instant EARLIEST_FROM = Instant.parse("2010-10-21T00:00:00Z");
    /** The longest range a backfill takes without {@code --allow-long-range}: a typo in a year is refused. */
    public static final Period LONG_RANGE = Period.ofYears(10);

    /**
     * What to backfill.
     *
     * @param arguments the command line without secrets, for the ledger
     * @param scope     the projects asked for (resolved against the source when the backfill starts)
     * @param grid      the window grid, or null for the cloud's (1h for a new cloud)
     * @param callSpan  how much one usage call covers: a whole number of windows
     * @param parallel  how many chunks are extracted at once (1 to {@value #MAX_PARALLEL})
     * @param force     re-extract chunks already loaded (closed windows change only with {@code restate})
     */
    public record Request(String arguments, ScopeChoice scope, Instant from, Instant to, WindowGrid grid, Duration callSpan,
            int parallel, boolean force, boolean restate, boolean strict, boolean allowLongRange, boolean timelines) {
        public Request {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(callSpan, "callSpan");
            if (parallel < 1 || parallel > MAX_PARALLEL) {
                throw OsMetricsException.usage("--parallel " + parallel + " is out of range: use 1 to " + MAX_PARALLEL);
            }
        }

        /** A request with ranges of at most {@link #LONG_RANGE}. */
        public Request(String arguments, ScopeChoice scope, Instant from, Instant to, WindowGrid grid, Duration callSpan,
                int parallel, boolean force, boolean restate, boolean strict) {
            this(arguments, scope, from, to, grid, callSpan, parallel, force, restate, strict, false, false);
        }

        /** A backfill of usage only (no timelines): bench, soak, tests of usage. */
        public Request(String arguments, ScopeChoice scope, Instant from, Instant to, WindowGrid grid, Duration callSpan,
                int parallel, boolean force, boolean restate, boolean strict, boolean allowLongRange) {
            this(arguments, scope, from, to, grid, callSpan, parallel, force, restate, strict, allowLongRange, false);
        }
    }

    /**
     * Refuses (exit 2) a range that cannot be meant: {@code from} not before {@code to}, before
     * {@link #EARLIEST_FROM} or in the future, or spanning more than {@link #LONG_RANGE} up to {@code now}
     * without {@code allowLongRange}. A {@code to} beyond now is not refused: the range ends at the open window.
     */
    public static void checkRange(Instant from, Instant to, boolean allowLongRange, Instant now) {
        if (!from.isBefore(to)) {
            throw OsMetricsException.usage("--from " + from + " is not before --to " + to);
        }
        if (from.isBefore(EARLIEST_FROM)) {
            throw OsMetricsException.usage("--from " + from + " is before " + LocalDate.ofInstant(EARLIEST_FROM, ZoneOffset.UTC)
                    + ", OpenStack's first release: Nova holds no usage from before then; give a later --from");
        }
        if (!from.isBefore(now)) {
            throw OsMetricsException.usage("--from " + from + " is in the future: nothing to backfill (now is "
                    + now.truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        Instant end = to.isAfter(now) ? now : to;
        if (!allowLongRange && from.atOffset(ZoneOffset.UTC).plus(LONG_RANGE).toInstant().isBefore(end)) {
            throw OsMetricsException.usage(String.format(Locale.ROOT, "%s..%s spans more than %d years (%,d days): check"
                    + " the years, or add --allow-long-range to backfill it all", from, end, LONG_RANGE.getYears(),
                    Duration.between(from, end).toDays()));
        }
    }

    /**
     * A range the source seems to have lost servers in: far fewer than the ranges on BOTH sides (a dip; a
     * fleet that grows or shrinks is a step, never a dip).
     *
     * @param medianBefore the median server count of up to {@value #NEIGHBOURS} ranges before it
     * @param medianAfter  the same after it
     */
    public record SuspectedTruncation(Instant start, Instant end, int servers, double medianBefore, double medianAfter) {
    }

    /**
     * A range for which Nova no longer lists servers this database recorded alive in it (usage facts in its
     * windows, or a recorded life that overlaps it): the evidence that Nova archived or purged them.
     *
     * @param servers  how many
     * @param examples the first {@value #EXAMPLES} of their instance ids
     */
    public record VanishedServers(Instant start, Instant end, int servers, List<String> examples) {
        public VanishedServers {
            examples = List.copyOf(examples);
        }
    }

    /**
     * What a backfill did.
     *
     * @param vanishedServers      ranges where Nova no longer lists servers recorded in them (evidence)
     * @param suspectedTruncations dips in the server counts, the ranges of {@code vanishedServers} left out
     */
    public record Summary(long runId, Scope scope, Instant from, Instant to, int chunks, int skipped, int windows,
            int servers, long rows, long restatements, int anomalies, boolean reconciled, boolean provisional,
            List<VanishedServers> vanishedServers, List<SuspectedTruncation> suspectedTruncations, Duration elapsed,
            TimelineExtraction.Summary timelines) {
    }

    /** Hears how the backfill goes (progress). Called on the thread that runs the backfill. */
    public interface Listener {
        /** The plan: {@code toLoad} chunks of {@code windows} windows in all to extract, {@code skipped} already loaded. */
        default void planned(int toLoad, long windows, int skipped) {
        }

        default void loaded(LoadResult result) {
        }
    }

    private final Database database;
    private final ExtractedRanges extracted;
    private final RecordedServers recorded;
    private final Clock clock;
    private final Cancellation cancellation;
    private final TimelineSink timelineSink;

    /** A backfill that always runs to its end (tests). */
    public Backfill(Database database, Clock clock) {
        this(database, clock, new Cancellation());
    }

    /** A backfill that stops between two chunks when {@code cancellation} is requested (SIGTERM, Ctrl-C). */
    public Backfill(Database database, Clock clock, Cancellation cancellation) {
        this(database, clock, cancellation, TimelineSinks.model(database));
    }

    /** A backfill whose timeline extraction hands the servers' histories to {@code timelineSink}. */
    public Backfill(Database database, Clock clock, Cancellation cancellation, TimelineSink timelineSink) {
        this.database = database;
        this.extracted = new ExtractedRanges(database.jdbi());
        this.recorded = new RecordedServers(database.jdbi());
        this.clock = clock;
        this.cancellation = cancellation;
        this.timelineSink = timelineSink;
    }

    /**
     * Runs the backfill. {@code sources} opens a connection to the cloud (called at most {@code parallel}
     * times: the first on this thread, the others by the workers that need one); every source is closed.
     *
     * @throws OsMetricsException exit 6 when another run holds the cloud's lock, 7 with {@code strict} when
     *                            the data did not reconcile (after loading it), or the source's/database's code
     */
    public Summary run(Supplier<UsageSource> sources, Request request, Listener listener) {
        Instant started = clock.instant();
        checkRange(request.from(), request.to(), request.allowLongRange(), started);
        try (SourcePool pool = new SourcePool(sources, request.parallel())) {
            UsageSource first = pool.take();
            String cloudKey = first.cloudKey();
            Scope scope = ScopeChoice.resolve(request.scope(), first);
            pool.give(first);
            try (RunLock lock = RunLock.acquire(database.dataSource(), cloudKey)) {
                Cloud cloud = new CloudRepository(database.jdbi()).resolve(cloudKey, request.grid());
                CatchUp.requireWholeWindows(request.callSpan(), cloud.grid());
                RunLedger ledger = new RunLedger(database.jdbi(), clock);
                long runId = ledger.start("backfill", request.arguments(), cloud.cloudId(), scope.key());
                try {
                    Summary summary = backfill(pool, request, cloud, scope, runId, ledger, started, listener);
                    boolean failed = request.strict() && !summary.reconciled();
                    ledger.finish(runId, failed ? RunLedger.Status.RECONCILIATION_FAILED : RunLedger.Status.SUCCEEDED, null);
                    return summary;
                } catch (RuntimeException e) {
                    ledger.finish(runId, RunLedger.Status.FAILED, CatchUp.oneLine(e));
                    throw e;
                }
            }
        }
    }

    private Summary backfill(SourcePool pool, Request request, Cloud cloud, Scope scope, long runId, RunLedger ledger,
            Instant started, Listener listener) {
        WindowGrid grid = cloud.grid();
        Instant now = clock.instant();
        Instant from = grid.floor(request.from());
        Instant ceilNow = grid.ceil(now);
        Instant to = grid.ceil(request.to()).isAfter(ceilNow) ? ceilNow : grid.ceil(request.to());
        List<TimeRange> all = TimeRange.splitBefore(from, to, request.callSpan(), now);
        List<TimeRange> todo = request.force() ? all : uncovered(all, extracted.complete(cloud, scope, from, to));
        long windows = todo.stream().mapToLong(c -> Duration.between(c.start(), c.end()).getSeconds() / grid.seconds()).sum();
        listener.planned(todo.size(), windows, all.size() - todo.size());
        if (!all.isEmpty()) {
            ledger.coverRange(runId, from, all.get(all.size() - 1).end());
        }
        LoadTotals totals = new LoadTotals();
        List<VanishedServers> vanished = new ArrayList<>();
        Instant[] novaNow = new Instant[1];
        ExecutorService workers = Executors.newFixedThreadPool(request.parallel(), new WorkerThreads());
        Deque<Future<UsageExtraction>> inFlight = new ArrayDeque<>();
        // each listed server's whole action list, once for the whole backfill, read while the usage loads (on the
        // same --parallel connections as the usage calls) and handed to the timeline model after it
        TimelineExtraction.Summary timelineSummary = null;
        try (TimelineExtraction.WholeReading timelines = request.timelines() && pool.readsActions()
                ? new TimelineExtraction(new ActionStore(database.jdbi()), clock, timelineSink)
                        .whole(pool::actions, cloud, scope, request.parallel(), runId)
                : null) {
            try {
                UsageLoader loader = new UsageLoader(database.jdbi());
                LoadOptions options = new LoadOptions(request.restate());
                int next = fill(inFlight, workers, pool, todo, 0, request.parallel(), scope);
                int loaded = 0;
                while (!inFlight.isEmpty()) {
                    cancellation.checkpoint("after " + loaded + " of " + Phrases.count(todo.size(), "chunk") + " of " + from + ".." + to);
                    UsageExtraction extraction = await(inFlight.removeFirst());
                    // the next chunk's extraction starts before this one loads: `parallel` calls keep Nova busy while
                    // the load runs (one extraction more in memory than in flight: the one being loaded); none after a
                    // stop was asked for (the next checkpoint ends the backfill)
                    if (!cancellation.isRequested()) {
                        next = fill(inFlight, workers, pool, todo, next, request.parallel(), scope);
                    }
                    if (timelines != null) {
                        timelines.add(extraction.tenants().stream()
                                .flatMap(tenant -> tenant.servers().stream().map(s -> s.instanceId())).toList());
                        if (extraction.provisional()) {
                            novaNow[0] = extraction.stop(); // Nova's clock: the open window is clamped to its "now"
                        }
                    }
                    vanishedServers(cloud, scope, extraction).ifPresent(vanished::add);
                    LoadResult result = loader.load(cloud, Transforms.onGrid(cloud, extraction), options, runId);
                    totals.add(extraction, result);
                    loaded++;
                    listener.loaded(result);
                }
            } finally {
                inFlight.forEach(future -> future.cancel(true));
                workers.shutdownNow();
            }
            UsageSource names = pool.take();  // the action reads may still be under way
            try {
                CatchUp.recordProjectNames(names, new UsageLoader(database.jdbi()), cloud);
            } finally {
                pool.give(names);
            }
            if (timelines != null) {
                cancellation.checkpoint("after the usage of " + from + ".." + to + ", before the timelines");
                timelineSummary = timelines.finish(novaNow[0]);
            }
        }
        // the ranges already loaded next to this backfill's count as neighbours too
        Duration around = request.callSpan().multipliedBy(NEIGHBOURS);
        Instant end = to;
        List<SuspectedTruncation> truncations = suspectedTruncations(serverCounts(cloud, scope, from.minus(around),
                to.plus(around), request.callSpan())).stream()
                .filter(t -> !t.start().isBefore(from) && !t.end().isAfter(end))
                .filter(t -> vanished.stream().noneMatch(v -> v.start().equals(t.start())))
                .toList();
        return new Summary(runId, scope, from, to, all.size(), all.size() - todo.size(), totals.windows,
                totals.servers(), totals.rows, totals.restatements, totals.anomalies, totals.reconciled,
                totals.provisional, List.copyOf(vanished), truncations, Duration.between(started, clock.instant()),
                timelineSummary);
    }

    /**
     * Starts extractions of the next chunks until {@code parallel} are in flight (memory stays bounded by the chunk
     * size); returns the index of the next chunk to start.
     */
    private static int fill(Deque<Future<UsageExtraction>> inFlight, ExecutorService workers, SourcePool pool,
            List<TimeRange> todo, int next, int parallel, Scope scope) {
        int chunk = next;
        while (chunk < todo.size() && inFlight.size() < parallel) {
            TimeRange range = todo.get(chunk++);
            inFlight.add(workers.submit(() -> pool.extract(range.start(), range.end(), scope)));
        }
        return chunk;
    }

    private static UsageExtraction await(Future<UsageExtraction> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsMetricsException(ExitCode.INTERNAL, "backfill interrupted", e);
        } catch (CancellationException e) {
            throw new OsMetricsException(ExitCode.INTERNAL, "backfill cancelled", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new OsMetricsException(ExitCode.INTERNAL, "extraction failed: " + e.getCause(), e.getCause());
        }
    }

    /** The chunks not entirely inside the union of {@code covered} (sorted by start). */
    static List<TimeRange> uncovered(List<TimeRange> chunks, List<TimeRange> covered) {
        List<TimeRange> merged = new ArrayList<>();
        for (TimeRange range : covered) {
            TimeRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !range.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, new TimeRange(last.start(), range.end().isAfter(last.end()) ? range.end() : last.end()));
            } else {
                merged.add(range);
            }
        }
        List<TimeRange> todo = new ArrayList<>();
        for (TimeRange chunk : chunks) {
            boolean inside = merged.stream().anyMatch(r -> !r.start().isAfter(chunk.start()) && !r.end().isBefore(chunk.end()));
            if (!inside) {
                todo.add(chunk);
            }
        }
        return todo;
    }

    /**
     * The servers recorded alive in the extraction's range (before loading it) that Nova's answer does not
     * list; empty when it lists them all.
     */
    private Optional<VanishedServers> vanishedServers(Cloud cloud, Scope scope, UsageExtraction extraction) {
        if (extraction.truncationSuspected()) {
            return Optional.empty(); // cut at max_limit: servers missing for another reason, warned of apart
        }
        List<String> listed = new ArrayList<>();
        try {
            extraction.tenants().forEach(tenant -> tenant.servers().forEach(
                    server -> listed.add(UUID.fromString(server.instanceId()).toString())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a UUID: the load refuses the range with its own message
        }
        List<String> missing = recorded.aliveNotListed(cloud, scope, extraction.start(), extraction.stop(), listed);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new VanishedServers(extraction.start(), extraction.requestedEnd(), missing.size(),
                missing.subList(0, Math.min(EXAMPLES, missing.size()))));
    }

    /** A range and how many servers its extraction listed. */
    record RangeCount(Instant start, Instant end, int servers) {
    }

    private List<RangeCount> serverCounts(Cloud cloud, Scope scope, Instant from, Instant to, Duration span) {
        return extracted.serverCounts(cloud, scope, from, to, span).stream()
                .map(count -> new RangeCount(count.start(), count.end(), count.servers()))
                .toList();
    }

    /**
     * The dips: ranges whose server count is below {@value #TRUNCATION_RATIO} of the median of up to
     * {@value #NEIGHBOURS} ranges before it AND of the median of up to as many after it, the signature of Nova
     * having archived or purged deleted instances of the past (a closed range never legitimately loses its
     * servers). A range with no neighbour on one side is never a dip: a fleet that grew from 4 servers to
     * 2,500 (or shrank) is a step, not a loss.
     */
    static List<SuspectedTruncation> suspectedTruncations(List<RangeCount> counts) {
        List<SuspectedTruncation> suspects = new ArrayList<>();
        for (int i = 1; i < counts.size() - 1; i++) {
            double before = median(counts.subList(Math.max(0, i - NEIGHBOURS), i));
            double after = median(counts.subList(i + 1, Math.min(counts.size(), i + 1 + NEIGHBOURS)));
            double lower = Math.min(before, after);
            RangeCount range = counts.get(i);
            if (lower >= MINIMUM_MEDIAN && range.servers() < TRUNCATION_RATIO * lower) {
                suspects.add(new SuspectedTruncation(range.start(), range.end(), range.servers(), before, after));
            }
        }
        return suspects;
    }

    private static double median(List<RangeCount> ranges) {
        int[] servers = ranges.stream().mapToInt(RangeCount::servers).sorted().toArray();
        int n = servers.length;
        return n % 2 == 1 ? servers[n / 2] : (servers[n / 2 - 1] + servers[n / 2]) / 2.0;
    }

    /**
     * Connections to the cloud, one per worker at a time (a source is not thread-safe), opened on demand
     * and all closed at the end. Thread-safe.
     */
    private static final class SourcePool implements AutoCloseable {
        private final Supplier<UsageSource> factory;
        /** One per call at once: usage extractions and action reads share them, in turn (fair). */
        private final Semaphore calls;
        private final BlockingQueue<UsageSource> idle = new LinkedBlockingQueue<>();
        private final List<UsageSource> opened = new ArrayList<>();

        SourcePool(Supplier<UsageSource> factory, int parallel) {
            this.factory = factory;
            this.calls = new Semaphore(parallel, true);
        }

        UsageSource take() {
            try {
                calls.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OsMetricsException(ExitCode.INTERNAL, "backfill interrupted", e);
            }
            try {
                UsageSource source = idle.poll();
                if (source != null) {
                    return source;
                }
                source = factory.get();
                synchronized (opened) {
                    opened.add(source);
                }
                return source;
            } catch (RuntimeException e) {
                calls.release();
                throw e;
            }
        }

        void give(UsageSource source) {
            idle.add(source);
            calls.release();
        }

        UsageExtraction extract(Instant start, Instant end, Scope scope) {
            UsageSource source = take();
            try {
                return source.extract(start, end, scope);
            } finally {
                give(source);
            }
        }

        /** Whether the cloud's connections can read instance actions. */
        boolean readsActions() {
            UsageSource source = take();
            try {
                return source.actions().isPresent();
            } finally {
                give(source);
            }
        }

        /** One server's whole action list, on a connection of its own while it is read. */
        ServerActions actions(String instanceId, ActionSource.KnownActions known) {
            UsageSource source = take();
            try {
                return source.actions().orElseThrow().serverActions(instanceId, null, known);
            } finally {
                give(source);
            }
        }

        @Override
        public void close() {
            synchronized (opened) {
                opened.forEach(UsageSource::close);
            }
        }
    }

    /** Daemon worker threads named for thread dumps. */
    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger number = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "backfill-extract-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}

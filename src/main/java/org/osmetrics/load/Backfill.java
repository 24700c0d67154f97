package org.osmetrics.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.cli.ExitCode;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.transform.WindowGrid;

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
    private static final String COVERED_SQL = "SELECT range_start, range_end FROM metrics.extracted_range"
            + " WHERE cloud_id = :cloud AND scope = :scope AND NOT provisional AND range_end > :from AND range_start < :to"
            + " ORDER BY range_start";
    private static final String COUNTS_SQL = "SELECT range_start, range_end, server_count FROM metrics.extracted_range"
            + " WHERE cloud_id = :cloud AND scope = :scope AND range_end > :from AND range_start < :to"
            + " AND extract(epoch FROM range_end - range_start) = :spanSeconds ORDER BY range_start";
    /** Neighbours on each side a chunk's server count is compared with. */
    static final int NEIGHBOURS = 3;
    /** A chunk with fewer servers than this share of its neighbours' median looks truncated. */
    static final double TRUNCATION_RATIO = 0.5;
    /** Below this median the counts are too small to tell truncation from normal churn. */
    static final int MINIMUM_MEDIAN = 4;
    public static final int MAX_PARALLEL = 16;

    /**
     * What to backfill.
     *
     * @param arguments the command line without secrets, for the ledger
     * @param scope     the projects, or null for the project the credentials are scoped to
     * @param grid      the window grid, or null for the cloud's (1h for a new cloud)
     * @param callSpan  how much one usage call covers: a whole number of windows
     * @param parallel  how many chunks are extracted at once (1 to {@value #MAX_PARALLEL})
     * @param force     re-extract chunks already loaded (closed windows change only with {@code restate})
     */
    public record Request(String arguments, Scope scope, Instant from, Instant to, WindowGrid grid, Duration callSpan,
            int parallel, boolean force, boolean restate, boolean strict) {
        public Request {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(callSpan, "callSpan");
            if (!from.isBefore(to)) {
                throw OsMetricsException.usage("--from " + from + " is not before --to " + to);
            }
            if (parallel < 1 || parallel > MAX_PARALLEL) {
                throw OsMetricsException.usage("--parallel " + parallel + " is out of range: use 1 to " + MAX_PARALLEL);
            }
        }
    }

    /** A range the source seems to have lost servers in: far fewer than its neighbours' median. */
    public record SuspectedTruncation(Instant start, Instant end, int servers, double neighbourMedian) {
    }

    /** What a backfill did. */
    public record Summary(long runId, Scope scope, Instant from, Instant to, int chunks, int skipped, int windows,
            int servers, long rows, long restatements, int anomalies, boolean reconciled, boolean provisional,
            List<SuspectedTruncation> suspectedTruncations, Duration elapsed) {
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
    private final Jdbi jdbi;
    private final Clock clock;
    private final Cancellation cancellation;

    /** A backfill that always runs to its end (tests). */
    public Backfill(Database database, Clock clock) {
        this(database, clock, new Cancellation());
    }

    /** A backfill that stops between two chunks when {@code cancellation} is requested (SIGTERM, Ctrl-C). */
    public Backfill(Database database, Clock clock, Cancellation cancellation) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.cancellation = cancellation;
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
        try (SourcePool pool = new SourcePool(sources)) {
            UsageSource first = pool.take();
            String cloudKey = first.cloudKey();
            Scope scope = request.scope() != null ? request.scope() : Scope.project(first.scopedProjectId());
            pool.give(first);
            try (RunLock lock = RunLock.acquire(database.dataSource(), cloudKey)) {
                Cloud cloud = new CloudRepository(jdbi).resolve(cloudKey, request.grid());
                CatchUp.requireWholeWindows(request.callSpan(), cloud.grid());
                RunLedger ledger = new RunLedger(jdbi, clock);
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
        List<TimeRange> todo = request.force() ? all : uncovered(all, covered(cloud, scope, from, to));
        long windows = todo.stream().mapToLong(c -> Duration.between(c.start(), c.end()).getSeconds() / grid.seconds()).sum();
        listener.planned(todo.size(), windows, all.size() - todo.size());
        if (!all.isEmpty()) {
            ledger.coverRange(runId, from, all.get(all.size() - 1).end());
        }
        LoadTotals totals = new LoadTotals();
        ExecutorService workers = Executors.newFixedThreadPool(request.parallel(), new WorkerThreads());
        Deque<Future<UsageExtraction>> inFlight = new ArrayDeque<>();
        try {
            UsageLoader loader = new UsageLoader(jdbi);
            LoadOptions options = new LoadOptions(request.restate());
            int next = 0;
            int loaded = 0;
            while (next < todo.size() || !inFlight.isEmpty()) {
                cancellation.checkpoint("after " + loaded + " of " + Phrases.count(todo.size(), "chunk") + " of " + from + ".." + to);
                // at most `parallel` extractions in flight: memory stays bounded by the chunk size
                while (next < todo.size() && inFlight.size() < request.parallel()) {
                    TimeRange chunk = todo.get(next++);
                    inFlight.add(workers.submit(() -> pool.extract(chunk.start(), chunk.end(), scope)));
                }
                UsageExtraction extraction = await(inFlight.removeFirst());
                LoadResult result = loader.load(cloud, extraction, options, runId);
                totals.add(extraction, result);
                loaded++;
                listener.loaded(result);
            }
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            workers.shutdownNow();
        }
        CatchUp.recordProjectNames(pool.any(), new UsageLoader(jdbi), cloud);
        List<SuspectedTruncation> truncations = suspectedTruncations(serverCounts(cloud, scope, from, to, request.callSpan()));
        return new Summary(runId, scope, from, to, all.size(), all.size() - todo.size(), totals.windows,
                totals.servers(), totals.rows, totals.restatements, totals.anomalies, totals.reconciled,
                totals.provisional, truncations, Duration.between(started, clock.instant()));
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

    private List<TimeRange> covered(Cloud cloud, Scope scope, Instant from, Instant to) {
        return jdbi.withHandle(handle -> handle.createQuery(COVERED_SQL)
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new TimeRange(rs.getTimestamp("range_start").toInstant(), rs.getTimestamp("range_end").toInstant()))
                .list());
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

    /** A range and how many servers its extraction listed. */
    record RangeCount(Instant start, Instant end, int servers) {
    }

    private List<RangeCount> serverCounts(Cloud cloud, Scope scope, Instant from, Instant to, Duration span) {
        return jdbi.withHandle(handle -> handle.createQuery(COUNTS_SQL)
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope.key())
                .bind("from", from)
                .bind("to", to)
                .bind("spanSeconds", span.getSeconds())
                .map((rs, ctx) -> new RangeCount(rs.getTimestamp("range_start").toInstant(),
                        rs.getTimestamp("range_end").toInstant(), rs.getInt("server_count")))
                .list());
    }

    /**
     * The ranges whose server count is below {@value #TRUNCATION_RATIO} of the median of up to
     * {@value #NEIGHBOURS} ranges on each side: the signature of Nova having archived or purged deleted
     * instances of the past (a closed range never legitimately loses its servers).
     */
    static List<SuspectedTruncation> suspectedTruncations(List<RangeCount> counts) {
        List<SuspectedTruncation> suspects = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            List<Integer> neighbours = new ArrayList<>();
            for (int j = Math.max(0, i - NEIGHBOURS); j <= Math.min(counts.size() - 1, i + NEIGHBOURS); j++) {
                if (j != i) {
                    neighbours.add(counts.get(j).servers());
                }
            }
            if (neighbours.size() < 2) {
                continue;
            }
            neighbours.sort(null);
            int n = neighbours.size();
            double median = n % 2 == 1 ? neighbours.get(n / 2) : (neighbours.get(n / 2 - 1) + neighbours.get(n / 2)) / 2.0;
            RangeCount range = counts.get(i);
            if (median >= MINIMUM_MEDIAN && range.servers() < TRUNCATION_RATIO * median) {
                suspects.add(new SuspectedTruncation(range.start(), range.end(), range.servers(), median));
            }
        }
        return suspects;
    }

    /**
     * Connections to the cloud, one per worker at a time (a source is not thread-safe), opened on demand
     * and all closed at the end. Thread-safe.
     */
    private static final class SourcePool implements AutoCloseable {
        private final Supplier<UsageSource> factory;
        private final BlockingQueue<UsageSource> idle = new LinkedBlockingQueue<>();
        private final List<UsageSource> opened = new ArrayList<>();

        SourcePool(Supplier<UsageSource> factory) {
            this.factory = factory;
        }

        UsageSource take() {
            UsageSource source = idle.poll();
            if (source != null) {
                return source;
            }
            source = factory.get();
            synchronized (opened) {
                opened.add(source);
            }
            return source;
        }

        void give(UsageSource source) {
            idle.add(source);
        }

        UsageExtraction extract(Instant start, Instant end, Scope scope) {
            UsageSource source = take();
            try {
                return source.extract(start, end, scope);
            } finally {
                give(source);
            }
        }

        /** A source for the calls made after the chunks (all workers are done by then). */
        UsageSource any() {
            return take();
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

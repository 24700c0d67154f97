package org.osmetrics.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.ActionSource;
import org.osmetrics.extract.ChangedServer;
import org.osmetrics.extract.NoTimelineRight;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ServerActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osmetrics.load.ActionStore;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.TimelineSink;

/**
 * Reads Nova's instance actions after the usage load of a run or backfill, stores them ({@link ActionStore}) and
 * hands each read server's whole history to the timeline model ({@link TimelineSink}).
 *
 * <ul>
 * <li>{@link #catchUp} ({@code run}): the servers changed since the previous timeline extraction of the scope
 *     (Nova's clock then, less {@link #SAFETY_OVERLAP}); of a server already read, only the actions updated since
 *     (2.58+), and events only of actions not yet read finished. The first extraction of a scope reads every
 *     server Nova lists (deleted ones included), whole.</li>
 * <li>{@link #whole} ({@code backfill}): each given server's whole action list, once, {@code parallel} at a time,
 *     read while the usage loads and handed to the model after it.</li>
 * </ul>
 * A 403 means the credentials may not read actions: warned once per scope and remembered in the database (asked
 * again after {@link #RETRY_NO_RIGHT_AFTER}); any other failure is recorded for status and warned, and the usage of
 * the run stays loaded.
 */
public final class TimelineExtraction {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineExtraction.class);
    /** Subtracted from Nova's clock of the previous extraction: skew between Nova's hosts, slow commits. */
    public static final Duration SAFETY_OVERLAP = Duration.ofMinutes(15);
    /** A remembered lack of right is tried again after this long (silently when it is still refused). */
    public static final Duration RETRY_NO_RIGHT_AFTER = Duration.ofDays(1);
    /** Servers stored and handed to the timeline model together. */
    static final int BATCH = 200;

    /**
     * What a timeline extraction did.
     *
     * @param listed  servers Nova listed as changed (run) or given (backfill)
     * @param read    servers whose actions were read
     * @param actions actions read
     * @param unknown servers Nova no longer knows (404)
     * @param warning a warning for the user (no right, or a failure), or null
     */
    public record Summary(int listed, int read, int actions, int unknown, boolean skipped, String warning) {
        static Summary skipped(String warning) {
            return new Summary(0, 0, 0, 0, true, warning);
        }
    }

    /** Reads one server's whole action list on some connection (thread-safe: backfill workers call it). */
    @FunctionalInterface
    public interface Reader {
        ServerActions read(String instanceId, ActionSource.KnownActions known);
    }

    private final ActionStore store;
    private final Clock clock;
    private final TimelineSink sink;

    public TimelineExtraction(ActionStore store, Clock clock, TimelineSink sink) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * The run's extraction.
     *
     * @param novaNow Nova's clock at this run's usage extraction (the stop of its open range), or null when the
     *                run read no open range (the local clock at the listing is taken then)
     */
    public Summary catchUp(ActionSource source, Cloud cloud, Scope scope, Instant novaNow, long runId) {
        ActionStore.State state = store.state(cloud, scope.key());
        Instant now = clock.instant();
        if (state.noRightSince() != null && now.isBefore(state.noRightSince().plus(RETRY_NO_RIGHT_AFTER))) {
            LOG.debug("timelines of {} skipped: no right since {}", scope, state.noRightSince());
            return Summary.skipped(null);
        }
        try {
            Instant listedAt = clock.instant();
            boolean first = state.changesSince() == null;
            Instant since = first ? Backfill.EARLIEST_FROM : state.changesSince().minus(SAFETY_OVERLAP);
            List<ChangedServer> changed = source.changedServers(scope, since);
            List<String> ids = changed.stream().map(ChangedServer::instanceId).toList();
            Counts counts = new Counts();
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<String> slice = ids.subList(from, Math.min(ids.size(), from + BATCH));
                Map<String, ActionSource.KnownActions> known = store.known(cloud, slice);
                Map<String, ServerActions> stored = first ? Map.of() : store.read(cloud, slice);
                List<ServerActions> batch = new ArrayList<>();
                for (String id : slice) {
                    // a server never read before is read whole: its timeline needs its history
                    boolean readBefore = stored.containsKey(id) && !stored.get(id).actions().isEmpty();
                    batch.add(source.serverActions(id, readBefore && source.pagedActions() ? since : null,
                            known.get(id)));
                }
                hand(cloud, runId, batch, counts);
            }
            if (ids.isEmpty()) {
                sink.rebuild(cloud, runId, List.of(), clock.instant()); // nothing changed: the timelines are fresh
            }
            store.recordSuccess(cloud, scope.key(), novaNow != null ? novaNow : listedAt, now, counts.read);
            LOG.debug("timelines of {}: {} servers changed since {}, {} actions read, {} unknown to Nova", scope,
                    ids.size(), since, counts.actions, counts.unknown);
            return new Summary(ids.size(), counts.read, counts.actions, counts.unknown, false, null);
        } catch (NoTimelineRight e) {
            return noRight(cloud, scope, state, e, now, runId);
        } catch (OsMetricsException e) {
            return failed(cloud, scope, e, now, runId);
        }
    }

    /**
     * The backfill's extraction, alongside its usage: each server given to {@link WholeReading#add} has its whole
     * action list read and stored, {@code parallel} at a time, while the usage loads; {@link WholeReading#finish}
     * then hands the histories to the timeline model (which reads the facts: after the usage).
     */
    public WholeReading whole(Reader reader, Cloud cloud, Scope scope, int parallel, long runId) {
        return new WholeReading(reader, cloud, scope, parallel, runId);
    }

    /**
     * One backfill's reading of whole action lists, in batches of {@link #BATCH} servers stored one after the other
     * (one batch's reads in flight at a time, on a thread of its own). Close it when the backfill ends, finished or
     * not. {@link #add} is called by one thread (the backfill's).
     */
    public final class WholeReading implements AutoCloseable {
        private final Reader reader;
        private final Cloud cloud;
        private final Scope scope;
        private final long runId;
        private final ActionStore.State state;
        private final Instant now;
        private final boolean refused;
        private final ExecutorService readers;
        private final ExecutorService batches = Executors.newSingleThreadExecutor(new WorkerThreads());
        private final Set<String> given = new LinkedHashSet<>();
        /** The servers Nova no longer knows (404), as read: the model is handed these, not stored actions. */
        private final Map<String, ServerActions> unknownToNova = new ConcurrentHashMap<>();
        private final Counts counts = new Counts();
        /** The first failure of a batch; the later batches are not read. */
        private volatile RuntimeException failure;

        private WholeReading(Reader reader, Cloud cloud, Scope scope, int parallel, long runId) {
            this.reader = reader;
            this.cloud = cloud;
            this.scope = scope;
            this.runId = runId;
            this.state = store.state(cloud, scope.key());
            this.now = clock.instant();
            this.refused = state.noRightSince() != null && now.isBefore(state.noRightSince().plus(RETRY_NO_RIGHT_AFTER));
            this.readers = Executors.newFixedThreadPool(Math.max(1, parallel), new WorkerThreads());
        }

        /** Starts reading the servers not given before (none when a lack of right was remembered a day ago or less). */
        public void add(Collection<String> instanceIds) {
            List<String> added = new ArrayList<>();
            for (String id : instanceIds) {
                if (given.add(id)) {
                    added.add(id);
                }
            }
            if (refused) {
                return;
            }
            for (int from = 0; from < added.size(); from += BATCH) {
                List<String> slice = List.copyOf(added.subList(from, Math.min(added.size(), from + BATCH)));
                batches.execute(() -> readAndStore(slice));
            }
        }

        private void readAndStore(List<String> slice) {
            if (failure != null) {
                return;
            }
            try {
                Map<String, ActionSource.KnownActions> known = store.known(cloud, slice);
                List<Future<ServerActions>> pending = new ArrayList<>();
                for (String id : slice) {
                    ActionSource.KnownActions knownOfServer = known.get(id);
                    pending.add(readers.submit(() -> reader.read(id, knownOfServer)));
                }
                List<ServerActions> batch = new ArrayList<>();
                for (Future<ServerActions> future : pending) {
                    batch.add(await(future));
                }
                store.store(cloud, batch, clock.instant());
                for (ServerActions read : batch) {
                    counts.read++;
                    counts.actions += read.actions().size();
                    if (read.unknownToNova()) {
                        counts.unknown++;
                        unknownToNova.put(read.instanceId(), read);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /**
         * Waits for the reads, then hands every given server's whole history to the timeline model and records the
         * extraction.
         *
         * @param novaNow Nova's clock when the backfill read the open window (its range reached now), else null. When
         *                the scope has no timeline extraction yet, the next run then asks only for what changed since
         *                (every server of the range is read whole here, and a server first seen later is read whole
         *                then), instead of reading every server Nova lists
         */
        public Summary finish(Instant novaNow) {
            if (refused) {
                return Summary.skipped(null);
            }
            batches.shutdown();
            try {
                while (!batches.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.debug("timelines of {}: still reading ({} of {} servers)", scope, counts.read, given.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OsMetricsException(ExitCode.INTERNAL, "timeline extraction interrupted", e);
            }
            try {
                if (failure != null) {
                    throw failure;
                }
                List<String> ids = List.copyOf(given);
                for (int from = 0; from < ids.size(); from += BATCH) {
                    List<String> slice = ids.subList(from, Math.min(ids.size(), from + BATCH));
                    Map<String, ServerActions> stored = store.read(cloud,
                            slice.stream().filter(id -> !unknownToNova.containsKey(id)).toList());
                    List<ServerActions> histories = new ArrayList<>(slice.size());
                    for (String id : slice) {
                        histories.add(unknownToNova.containsKey(id) ? unknownToNova.get(id) : stored.get(id));
                    }
                    sink.rebuild(cloud, runId, histories, clock.instant());
                }
                if (ids.isEmpty()) {
                    sink.rebuild(cloud, runId, List.of(), clock.instant());
                }
                store.recordSuccess(cloud, scope.key(), state.changesSince() == null ? novaNow : null, now, counts.read);
                LOG.debug("timelines of {}: {} servers read whole, {} actions, {} unknown to Nova", scope, ids.size(),
                        counts.actions, counts.unknown);
                return new Summary(ids.size(), counts.read, counts.actions, counts.unknown, false, null);
            } catch (NoTimelineRight e) {
                return noRight(cloud, scope, state, e, now, runId);
            } catch (OsMetricsException e) {
                return failed(cloud, scope, e, now, runId);
            }
        }

        @Override
        public void close() {
            batches.shutdownNow();
            readers.shutdownNow();
        }
    }

    /** Stores a batch and hands the whole histories of its servers to the timeline model. */
    private void hand(Cloud cloud, long runId, List<ServerActions> batch, Counts counts) {
        store.store(cloud, batch, clock.instant());
        Map<String, ServerActions> stored = store.read(cloud,
                batch.stream().filter(read -> !read.unknownToNova()).map(ServerActions::instanceId).toList());
        List<ServerActions> histories = new ArrayList<>(batch.size());
        for (ServerActions read : batch) {
            counts.read++;
            counts.actions += read.actions().size();
            if (read.unknownToNova()) {
                counts.unknown++;
                histories.add(read);
            } else {
                histories.add(stored.get(read.instanceId()));
            }
        }
        sink.rebuild(cloud, runId, histories, clock.instant());
    }

    private Summary noRight(Cloud cloud, Scope scope, ActionStore.State state, NoTimelineRight e, Instant now,
            long runId) {
        store.recordNoRight(cloud, scope.key(), e.getMessage(), now);
        sink.failed(cloud, runId, "no right: " + e.getMessage());
        if (state.noRightSince() != null) {
            LOG.debug("timelines of {} still refused: {}", scope, e.getMessage());
            return Summary.skipped(null);
        }
        String warning = "timelines of " + scope + " not loaded: " + e.getMessage() + "; usage is loaded as before "
                + "(said once: remembered in the database and asked again after a day; --no-timelines stops asking)";
        LOG.warn(warning);
        return Summary.skipped(warning);
    }

    private Summary failed(Cloud cloud, Scope scope, OsMetricsException e, Instant now, long runId) {
        String message = CatchUp.oneLine(e);
        store.recordError(cloud, scope.key(), message, now);
        sink.failed(cloud, runId, message);
        String warning = "timelines of " + scope + " not updated (the usage is loaded; the next run tries again): "
                + message;
        LOG.warn(warning);
        return Summary.skipped(warning);
    }

    private static ServerActions await(Future<ServerActions> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsMetricsException(ExitCode.INTERNAL, "timeline extraction interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new OsMetricsException(ExitCode.INTERNAL, "timeline extraction failed: " + e.getCause(), e.getCause());
        }
    }

    private static final class Counts {
        int read;
        int actions;
        int unknown;
    }

    /** Daemon worker threads named for thread dumps. */
    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger number = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "backfill-actions-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}

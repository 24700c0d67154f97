package org.osmetrics.pipeline;

import org.osmetrics.Phrases;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.ByteBuffer;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.extract.ArchivedUsage;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.load.ArchiveLedger;
import org.osmetrics.load.ArchiveLedger.ImportedFile;
import org.osmetrics.load.Cloud;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.Database;
import org.osmetrics.load.LoadOptions;
import org.osmetrics.load.LoadResult;
import org.osmetrics.load.RunLedger;
import org.osmetrics.load.RunLock;
import org.osmetrics.load.UsageLoader;

/**
 * The import of archived usage documents (the old script's {@code output/*.json}) as history: under the
 * cloud's lock, files are read, parsed and split over the grid by worker threads, and loaded in file order
 * through the same loader as {@code run}, up to 200 ranges per transaction ({@link UsageLoader#loadBatch},
 * which leaves the same rows as loading them one by one), so an import is idempotent with what run or
 * backfill loaded for the same range. A 0-byte file (a failed run of the old script) is counted, never
 * loaded as zero usage; a malformed or truncated file is reported with its reason and skipped, and nothing
 * of it is loaded; so is a file the database refuses (the rest of its batch is then loaded file by file).
 * Each file is recorded in {@code metrics.imported_file}. Not thread-safe.
 */
public final class ArchiveImport {
    /** Files parsed ahead of the loader per worker: bounds memory whatever the number of files. */
    private static final int READ_AHEAD = 4;
    /** At most this many ranges, and about this many facts, share one load transaction. */
    static final int BATCH_RANGES = 200;
    private static final long BATCH_FACTS = 200_000;
    private static final int LEDGER_BATCH = 500;

    /** A file that was not loaded, and why. */
    public record Failure(String file, String reason) {
    }

    /** What an import did. */
    public record Summary(long runId, int files, int loadedFiles, int ranges, int servers, long rows,
            long restatements, int anomalies, boolean reconciled, List<String> emptyFiles, List<Failure> failures,
            Duration elapsed) {
    }

    /** Hears about each file done (progress). Called on the importing thread. */
    public interface Listener {
        void fileDone(Path file);
    }

    private final Database database;
    private final ArchiveLedger fileLedger;
    private final Clock clock;
    private final Cancellation cancellation;
    private final int batchRanges;

    /** An import that stops between two files when {@code cancellation} is requested (SIGTERM, Ctrl-C). */
    public ArchiveImport(Database database, Clock clock, Cancellation cancellation) {
        this(database, clock, cancellation, BATCH_RANGES);
    }

    /** With {@code batchRanges} 1, every range is its own load, one transaction each (as before batching). */
    ArchiveImport(Database database, Clock clock, Cancellation cancellation, int batchRanges) {
        this.database = database;
        this.fileLedger = new ArchiveLedger(database.jdbi());
        this.clock = clock;
        this.cancellation = cancellation;
        this.batchRanges = batchRanges;
    }

    /**
     * Imports the files into the cloud {@code cloudKey} (created on first use with {@code grid}, or the
     * default grid when null).
     *
     * @param arguments the command line without secrets, for the ledger
     * @param restate   apply differences to closed windows already recorded (otherwise only logged)
     * @throws OsMetricsException exit 6 when another run holds the cloud's lock, 5 when the database fails
     */
    public Summary run(String cloudKey, WindowGrid grid, List<Path> files, String arguments, boolean restate,
            int threads, Listener listener) {
        Instant started = clock.instant();
        try (RunLock lock = RunLock.acquire(database.dataSource(), cloudKey)) {
            Cloud cloud = new CloudRepository(database.jdbi()).resolve(cloudKey, grid);
            RunLedger ledger = new RunLedger(database.jdbi(), clock);
            long runId = ledger.start("import-json", arguments, cloud.cloudId(), null);
            try {
                Summary summary = importFiles(cloud, files, runId, ledger, new LoadOptions(restate), threads, listener, started);
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, summary.failures().isEmpty() ? null
                        : Phrases.count(summary.failures().size(), "file") + " not loaded: malformed or truncated");
                return summary;
            } catch (RuntimeException e) {
                ledger.finish(runId, RunLedger.Status.FAILED, CatchUp.oneLine(e));
                throw e;
            }
        }
    }

    /** One file after reading, parsing and transforming (on a worker). */
    private record Parsed(Path file, boolean empty, String failure, List<TransformedRange> ranges) {
    }

    private Summary importFiles(Cloud cloud, List<Path> files, long runId, RunLedger ledger, LoadOptions options,
            int threads, Listener listener, Instant started) {
        Batches batches = new Batches(cloud, runId, options, listener);
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "import-parse");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<Parsed>> inFlight = new ArrayDeque<>();
        try {
            int next = 0;
            while (next < files.size() || !inFlight.isEmpty()) {
                if (cancellation.isRequested()) {
                    batches.flush();
                }
                cancellation.checkpoint("after " + batches.done + " of " + Phrases.count(files.size(), "file")
                        + " (re-importing is idempotent)");
                while (next < files.size() && inFlight.size() < Math.max(threads * READ_AHEAD, batchRanges)) {
                    Path file = files.get(next++);
                    inFlight.add(workers.submit(() -> parse(file, cloud.grid())));
                }
                batches.add(await(inFlight.removeFirst()));
            }
            batches.flush();
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            workers.shutdownNow();
        }
        recordFiles(cloud, runId, batches.ledgerRows);
        if (batches.first != null) {
            ledger.coverRange(runId, batches.first, batches.last);
        }
        return new Summary(runId, files.size(), batches.loadedFiles, batches.ranges, batches.servers.size(),
                batches.rows, batches.restatements, batches.anomalies, batches.reconciled, batches.empty,
                batches.failures, Duration.between(started, clock.instant()));
    }

    /**
     * The parsed files in file order, their ranges gathered into batches that {@link UsageLoader#loadBatch}
     * loads in one transaction each (so the rows are those of loading them one by one), and the tally of
     * what became of each file, made once every range of it is loaded. A file's ranges always share one
     * transaction: a file is loaded whole or not at all.
     */
    private final class Batches {
        private final Cloud cloud;
        private final long runId;
        private final LoadOptions options;
        private final Listener listener;
        private final UsageLoader loader = new UsageLoader(database.jdbi());
        /** Files not tallied yet, in order, and the ranges of those not loaded yet. */
        private final List<Parsed> pending = new ArrayList<>();
        private final List<Parsed> batchFiles = new ArrayList<>();
        private final List<TransformedRange> batch = new ArrayList<>();
        private long batchFacts;
        /** What loading each range did, and why a file could not be loaded. */
        private final Map<TransformedRange, LoadResult> results = new IdentityHashMap<>();
        private final Map<Parsed, String> refused = new IdentityHashMap<>();

        private final List<ImportedFile> ledgerRows = new ArrayList<>();
        private final List<String> empty = new ArrayList<>();
        private final List<Failure> failures = new ArrayList<>();
        private final Set<String> servers = new HashSet<>();
        private int done;
        private int loadedFiles;
        private int ranges;
        private long rows;
        private long restatements;
        private int anomalies;
        private boolean reconciled = true;
        private Instant first;
        private Instant last;

        Batches(Cloud cloud, long runId, LoadOptions options, Listener listener) {
            this.cloud = cloud;
            this.runId = runId;
            this.options = options;
            this.listener = listener;
        }

        void add(Parsed parsed) {
            List<TransformedRange> fileRanges = parsed.ranges();
            if (fileRanges.isEmpty()) {
                pending.add(parsed);
            } else if (batchRanges == 1 || !independent(fileRanges, fileRanges)) {
                // ranges of one file that must not share a batch (one server in two projects' answers of the
                // same day), or no batches: after the batch, loaded one after the other, one transaction each
                flush();
                pending.add(parsed);
                fileRanges.forEach(range -> results.put(range, loader.load(cloud, range, options, runId)));
            } else {
                long facts = fileRanges.stream().mapToLong(TransformedRange::factCount).sum();
                if (!batch.isEmpty() && (batch.size() + fileRanges.size() > batchRanges
                        || batchFacts + facts > BATCH_FACTS || !independent(batch, fileRanges))) {
                    flush();
                }
                pending.add(parsed);
                batch.addAll(fileRanges);
                batchFiles.add(parsed);
                batchFacts += facts;
            }
            if (batch.isEmpty()) {
                tally();
            }
        }

        private static boolean independent(List<TransformedRange> a, List<TransformedRange> b) {
            for (TransformedRange x : a) {
                for (TransformedRange y : b) {
                    if (x != y && !UsageLoader.canShareBatch(x, y)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Loads the batch; when the database refuses it, loads its files one by one and skips the refused ones. */
        void flush() {
            if (!batch.isEmpty()) {
                try {
                    store(batch, loader.loadBatch(cloud, batch, options, runId));
                } catch (OsMetricsException batchFailed) {
                    for (Parsed file : batchFiles) {
                        try {
                            store(file.ranges(), loader.loadBatch(cloud, file.ranges(), options, runId));
                        } catch (OsMetricsException e) {
                            if (!UsageLoader.refusedData(e)) {
                                throw e;
                            }
                            refused.put(file, e.getMessage());
                        }
                    }
                }
                batch.clear();
                batchFiles.clear();
                batchFacts = 0;
            }
            tally();
        }

        private void store(List<TransformedRange> loaded, List<LoadResult> outcomes) {
            for (int i = 0; i < loaded.size(); i++) {
                results.put(loaded.get(i), outcomes.get(i));
            }
        }

        /** Counts and records the pending files, all of whose ranges are loaded (or refused) by now. */
        private void tally() {
            for (Parsed parsed : pending) {
                String name = parsed.file().toString();
                String refusal = refused.get(parsed);
                if (parsed.empty()) {
                    empty.add(name);
                    ledgerRows.add(new ImportedFile(name, "empty", null, null, null, null, "0-byte file: a failed run, no data"));
                } else if (parsed.failure() != null || refusal != null) {
                    String reason = refusal != null ? refusal : parsed.failure();
                    failures.add(new Failure(name, reason));
                    ledgerRows.add(new ImportedFile(name, "malformed", null, null, null, null, reason));
                } else {
                    for (TransformedRange range : parsed.ranges()) {
                        tally(name, range, results.remove(range));
                    }
                    loadedFiles++;
                }
                if (ledgerRows.size() >= LEDGER_BATCH) {
                    recordFiles(cloud, runId, ledgerRows);
                }
                done++;
                listener.fileDone(parsed.file());
            }
            pending.clear();
            refused.clear();
        }

        private void tally(String name, TransformedRange range, LoadResult result) {
            UsageExtraction extraction = range.extraction();
            extraction.tenants().forEach(t -> t.servers().stream().map(ServerUsage::instanceId).forEach(servers::add));
            ranges++;
            rows += result.rows();
            restatements += result.restatements();
            anomalies += result.anomalies();
            reconciled &= result.reconciled();
            first = first == null || extraction.start().isBefore(first) ? extraction.start() : first;
            last = last == null || extraction.requestedEnd().isAfter(last) ? extraction.requestedEnd() : last;
            ledgerRows.add(new ImportedFile(name, "loaded", extraction.scope().key(), extraction.start(),
                    extraction.requestedEnd(), extraction.serverCount(), null));
        }
    }

    /** Reads, parses and transforms one file; a bad file becomes a failure, never an exception. */
    static Parsed parse(Path file, WindowGrid grid) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Parsed(file, false, "cannot read: " + e, List.of());
        }
        if (bytes.length == 0) {
            return new Parsed(file, true, null, List.of());
        }
        String body;
        try {
            body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Parsed(file, false, "not UTF-8 text", List.of());
        }
        if (body.isBlank()) {
            return new Parsed(file, false, "only whitespace: no document", List.of());
        }
        try {
            List<TransformedRange> ranges = new ArrayList<>();
            for (UsageExtraction extraction : ArchivedUsage.parse(body, file.toString())) {
                try {
                    ranges.add(UsageTransform.transform(extraction, grid));
                } catch (IllegalArgumentException e) {
                    return new Parsed(file, false, "range " + extraction.start() + ".." + extraction.requestedEnd()
                            + " cannot be stored on the cloud's " + grid.label() + " grid: " + e.getMessage(), List.of());
                }
            }
            return new Parsed(file, false, null, ranges);
        } catch (OsMetricsException e) {
            return new Parsed(file, false, e.getMessage(), List.of());
        }
    }

    private void recordFiles(Cloud cloud, long runId, List<ImportedFile> ledgerRows) {
        if (ledgerRows.isEmpty()) {
            return;
        }
        fileLedger.record(cloud, runId, ledgerRows);
        ledgerRows.clear();
    }

    private static Parsed await(Future<Parsed> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsMetricsException(ExitCode.INTERNAL, "import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new OsMetricsException(ExitCode.INTERNAL, "reading a file failed: " + e.getCause(), e.getCause());
        }
    }
}

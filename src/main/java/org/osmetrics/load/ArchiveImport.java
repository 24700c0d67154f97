package org.osmetrics.load;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.ByteBuffer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.cli.ExitCode;
import org.osmetrics.extract.ArchivedUsage;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;
import org.osmetrics.transform.WindowGrid;

/**
 * The import of archived usage documents (the old script's {@code output/*.json}) as history: under the
 * cloud's lock, files are read, parsed and split over the grid by worker threads, and loaded in file order
 * through the same loader as {@code run}, one transaction per range, so an import is idempotent with what
 * run or backfill loaded for the same range. A 0-byte file (a failed run of the old script) is counted,
 * never loaded as zero usage; a malformed or truncated file is reported with its reason and skipped, and
 * nothing of it is loaded. Each file is recorded in {@code metrics.imported_file}. Not thread-safe.
 */
public final class ArchiveImport {
    private static final String INSERT_FILE = "INSERT INTO metrics.imported_file (run_id, file_name, outcome, cloud_id,"
            + " scope, range_start, range_end, servers, detail) VALUES (:run, :file, :outcome, :cloud, :scope, :start,"
            + " :end, :servers, :detail)";
    /** Files parsed ahead of the loader per worker: bounds memory whatever the number of files. */
    private static final int READ_AHEAD = 4;
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

    private final Jdbi jdbi;
    private final Database database;
    private final Clock clock;
    private final Cancellation cancellation;

    /** An import that stops between two files when {@code cancellation} is requested (SIGTERM, Ctrl-C). */
    public ArchiveImport(Database database, Clock clock, Cancellation cancellation) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.cancellation = cancellation;
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
            Cloud cloud = new CloudRepository(jdbi).resolve(cloudKey, grid);
            RunLedger ledger = new RunLedger(jdbi, clock);
            long runId = ledger.start("import-json", arguments, cloud.cloudId(), null);
            try {
                Summary summary = importFiles(cloud, files, runId, ledger, new LoadOptions(restate), threads, listener, started);
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, summary.failures().isEmpty() ? null
                        : summary.failures().size() + " file(s) not loaded: malformed or truncated");
                return summary;
            } catch (RuntimeException e) {
                ledger.finish(runId, RunLedger.Status.FAILED, CatchUp.oneLine(e));
                throw e;
            }
        }
    }

    /** One row of metrics.imported_file. */
    private record FileRow(String file, String outcome, String scope, Instant start, Instant end, Integer servers,
            String detail) {
    }

    /** One file after reading, parsing and transforming (on a worker). */
    private record Parsed(Path file, boolean empty, String failure, List<TransformedRange> ranges) {
    }

    private Summary importFiles(Cloud cloud, List<Path> files, long runId, RunLedger ledger, LoadOptions options,
            int threads, Listener listener, Instant started) {
        UsageLoader loader = new UsageLoader(jdbi);
        List<String> empty = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Set<String> servers = new HashSet<>();
        List<FileRow> ledgerRows = new ArrayList<>();
        int loadedFiles = 0;
        int ranges = 0;
        long rows = 0;
        long restatements = 0;
        int anomalies = 0;
        boolean reconciled = true;
        Instant first = null;
        Instant last = null;
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "import-parse");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<Parsed>> inFlight = new ArrayDeque<>();
        try {
            int next = 0;
            int done = 0;
            while (next < files.size() || !inFlight.isEmpty()) {
                cancellation.checkpoint("after " + done + " of " + files.size() + " files (re-importing is idempotent)");
                while (next < files.size() && inFlight.size() < threads * READ_AHEAD) {
                    Path file = files.get(next++);
                    inFlight.add(workers.submit(() -> parse(file, cloud.grid())));
                }
                Parsed parsed = await(inFlight.removeFirst());
                String name = parsed.file().toString();
                if (parsed.empty()) {
                    empty.add(name);
                    ledgerRows.add(new FileRow(name, "empty", null, null, null, null, "0-byte file: a failed run, no data"));
                } else if (parsed.failure() != null) {
                    failures.add(new Failure(name, parsed.failure()));
                    ledgerRows.add(new FileRow(name, "malformed", null, null, null, null, parsed.failure()));
                } else {
                    for (TransformedRange range : parsed.ranges()) {
                        LoadResult result = loader.load(cloud, range, options, runId);
                        UsageExtraction extraction = range.extraction();
                        extraction.tenants().forEach(t -> t.servers().stream().map(ServerUsage::instanceId).forEach(servers::add));
                        ranges++;
                        rows += result.rows();
                        restatements += result.restatements();
                        anomalies += result.anomalies();
                        reconciled &= result.reconciled();
                        first = first == null || extraction.start().isBefore(first) ? extraction.start() : first;
                        last = last == null || extraction.requestedEnd().isAfter(last) ? extraction.requestedEnd() : last;
                        ledgerRows.add(new FileRow(name, "loaded", extraction.scope().key(), extraction.start(),
                                extraction.requestedEnd(), extraction.serverCount(), null));
                    }
                    loadedFiles++;
                }
                if (ledgerRows.size() >= LEDGER_BATCH) {
                    recordFiles(cloud, runId, ledgerRows);
                }
                done++;
                listener.fileDone(parsed.file());
            }
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            workers.shutdownNow();
        }
        recordFiles(cloud, runId, ledgerRows);
        if (first != null) {
            ledger.coverRange(runId, first, last);
        }
        return new Summary(runId, files.size(), loadedFiles, ranges, servers.size(), rows, restatements, anomalies,
                reconciled, empty, failures, Duration.between(started, clock.instant()));
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

    private void recordFiles(Cloud cloud, long runId, List<FileRow> ledgerRows) {
        if (ledgerRows.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(INSERT_FILE);
            for (FileRow row : ledgerRows) {
                batch.bind("run", runId).bind("file", row.file()).bind("outcome", row.outcome())
                        .bind("cloud", row.start() == null ? null : cloud.cloudId()).bind("scope", row.scope())
                        .bind("start", row.start()).bind("end", row.end()).bind("servers", row.servers())
                        .bind("detail", row.detail()).add();
            }
            batch.execute();
        });
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

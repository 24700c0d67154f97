package org.osmetrics.load;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.osmetrics.extract.RawPage;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.transform.Anomaly;
import org.osmetrics.transform.Reconciliation;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.WindowFact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link UsageLoader#loadBatch} in its transaction, step by step (each step a method with its own
 * bindings): the flavors, the staged servers and ranges, which ranges are fresh, the server records, the
 * facts of the staged ranges (compared with what is recorded), the facts of the fresh ones (COPYed straight
 * into their month's partition), the ranges' records (extracted range, Nova's totals, anomalies, raw pages)
 * and the run's counters. The facts are read from each range as they are written ({@link
 * TransformedRange#forEachFact}): never all in memory. One per transaction; not thread-safe.
 */
final class BatchLoad {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoad.class);
    private static final long ONE_DAY_SECONDS = 86_400L;
    static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    /**
     * The fresh facts are written one UTC day of windows at a time (a grid divides a day, so a day's windows lie
     * in one month's partition), and their rollup counts (server days) are sent once this many groups (server days)
     * are counted: they stay bounded by a day's, not the range's.
     */
    static final int ROLLUP_FLUSH_GROUPS = 50_000;

    /** What loading one range of the batch wrote: fact rows inserted or changed, and restatements logged. */
    record Written(long rows, long restatements) {
        static final Written NOTHING = new Written(0, 0);

        Written plus(Written other) {
            return new Written(rows + other.rows, restatements + other.restatements);
        }
    }

    /** A flavor as the servers and facts name it. */
    private record FlavorKey(String name, int vcpus, int memoryMb, int localGb) {
        static FlavorKey of(ServerUsage server) {
            return new FlavorKey(server.flavor(), server.vcpus(), server.memoryMb(), server.localGb());
        }

        static FlavorKey of(WindowFact fact) {
            return new FlavorKey(fact.flavor(), fact.vcpus(), fact.memoryMb(), fact.localGb());
        }
    }

    /** A group of metrics.usage_rollup within one cloud. */
    private record RollupKey(Instant windowStart, String projectId, int flavorId, int vcpus, int memoryMb, int localGb,
            double hours, boolean provisional) {
    }

    /** A row of metrics.usage_server_day within one cloud: a server's facts of one UTC day in one project. */
    private record ServerDayKey(long epochDay, String projectId, UUID instanceId) {
    }

    /** The first and last window of a server day's fresh facts, and how many. */
    private static final class ServerDay {
        private Instant first;
        private Instant last;
        private int facts;

        void add(Instant window) {
            if (first == null || window.isBefore(first)) {
                first = window;
            }
            if (last == null || window.isAfter(last)) {
                last = window;
            }
            facts++;
        }
    }

    /** Which ranges of the batch are fresh (nothing recorded they meet) and which are staged, by position. */
    private record Plan(List<Integer> fresh, List<Integer> staged) {
    }

    private final Handle handle;
    private final int cloudId;
    /** Whether the cloud's facts have server days kept apart: not on a one-day grid, whose facts are them (V111). */
    private final boolean keepsServerDays;
    private final long runId;
    private final LoadOptions options;
    private final List<TransformedRange> ranges;
    private final int rollupFlushGroups;
    private Map<FlavorKey, Integer> flavors;

    BatchLoad(Handle handle, Cloud cloud, long runId, LoadOptions options, List<TransformedRange> ranges,
            int rollupFlushGroups) {
        this.rollupFlushGroups = rollupFlushGroups;
        this.handle = handle;
        this.cloudId = cloud.cloudId();
        this.keepsServerDays = cloud.grid().seconds() < ONE_DAY_SECONDS;
        this.runId = runId;
        this.options = options;
        this.ranges = List.copyOf(ranges);
    }

    /** Runs every step; returns what loading each range did, in order. */
    List<LoadResult> run() throws SQLException {
        long started = System.nanoTime();
        handle.execute(sql("jitOff"));
        flavors = upsertFlavors();
        stageServersAndRanges();
        Plan plan = markFreshRanges();
        long staged = System.nanoTime();
        upsertServerRecords();
        long servers = System.nanoTime();
        Map<Integer, Written> written = new HashMap<>();
        written.putAll(loadStagedFacts(plan.staged()));
        written.putAll(copyFreshFacts(plan.fresh()));
        long facts = System.nanoTime();
        recordRanges();
        List<LoadResult> results = new ArrayList<>(ranges.size());
        for (int doc = 0; doc < ranges.size(); doc++) {
            results.add(result(ranges.get(doc), written.getOrDefault(doc, Written.NOTHING)));
        }
        countRun(results);
        LOG.debug("batch of {} range(s): staged in {} ms, servers {} ms, facts {} ms, records {} ms", ranges.size(),
                (staged - started) / 1_000_000, (servers - staged) / 1_000_000, (facts - servers) / 1_000_000,
                (System.nanoTime() - facts) / 1_000_000);
        return results;
    }

    private static LoadResult result(TransformedRange range, Written written) {
        UsageExtraction extraction = range.extraction();
        return new LoadResult(extraction.start(), extraction.requestedEnd(), extraction.provisional(),
                range.windowStarts().size(), range.servers().size(), written.rows(), written.restatements(),
                range.anomalies().size(), range.reconciled());
    }

    /** The batch's flavors inserted where new; returns the ids of all the cloud's flavors. */
    private Map<FlavorKey, Integer> upsertFlavors() {
        PreparedBatch insert = handle.prepareBatch(sql("insertFlavor"));
        ranges.stream().flatMap(range -> range.servers().stream()).map(FlavorKey::of).distinct()
                .forEach(key -> insert.bind("cloud", cloudId).bind("name", key.name()).bind("vcpus", key.vcpus())
                        .bind("memory", key.memoryMb()).bind("disk", key.localGb()).add());
        if (insert.size() > 0) {
            insert.execute();
        }
        Map<FlavorKey, Integer> ids = new HashMap<>();
        handle.createQuery(sql("selectFlavors")).bind("cloud", cloudId)
                .map((rs, ctx) -> Map.entry(new FlavorKey(rs.getString("name"), rs.getInt("vcpus"), rs.getInt("memory_mb"),
                        rs.getInt("local_gb")), rs.getInt("flavor_id")))
                .forEach(entry -> ids.put(entry.getKey(), entry.getValue()));
        return ids;
    }

    /** The staging tables, filled with every range's servers and the ranges themselves. */
    private void stageServersAndRanges() throws SQLException {
        handle.execute(sql("createBatchStaging"));
        try (CopyWriter copy = CopyWriter.start(handle.getConnection(), sql("copyBatchServers"))) {
            for (int doc = 0; doc < ranges.size(); doc++) {
                UsageExtraction extraction = ranges.get(doc).extraction();
                for (ServerUsage server : ranges.get(doc).servers()) {
                    copy.text(UUID.fromString(server.instanceId()).toString()).text(server.tenantId()).text(server.name())
                            .number(flavors.get(FlavorKey.of(server))).time(server.startedAt()).time(server.endedAt())
                            .text(server.state()).number(server.uptime()).time(extraction.start()).time(extraction.stop())
                            .number(doc).endRow();
                }
            }
            copy.finish();
        }
        try (CopyWriter copy = CopyWriter.start(handle.getConnection(), sql("copyBatchRanges"))) {
            for (int doc = 0; doc < ranges.size(); doc++) {
                UsageExtraction extraction = ranges.get(doc).extraction();
                copy.number(doc).time(extraction.start()).time(extraction.requestedEnd()).time(extraction.stop())
                        .bool(extraction.scope().isAllProjects()).text(extraction.scope().projectId())
                        .bool(UsageLoader.ownProjectOnly(ranges.get(doc))).endRow();
            }
            copy.finish();
        }
        handle.execute(sql("analyzeBatchServers"));
    }

    /** Marks the ranges that meet nothing recorded (before anything of the batch is written). */
    private Plan markFreshRanges() {
        Set<Integer> fresh = new HashSet<>();
        handle.createQuery(sql("markFreshBatchRanges")).bind("cloud", cloudId)
                .map((rs, ctx) -> rs.getBoolean("fresh") ? rs.getInt("doc") : -1)
                .forEach(fresh::add);
        List<Integer> freshDocs = new ArrayList<>();
        List<Integer> stagedDocs = new ArrayList<>();
        for (int doc = 0; doc < ranges.size(); doc++) {
            (fresh.contains(doc) ? freshDocs : stagedDocs).add(doc);
        }
        return new Plan(freshDocs, stagedDocs);
    }

    /** The projects, the (project, server) pairs, the servers and their flavor history, from the staged servers. */
    private void upsertServerRecords() {
        for (String statement : List.of("upsertBatchProjects", "recordBatchProjectServers", "upsertBatchServers")) {
            handle.createUpdate(sql(statement)).bind("cloud", cloudId).execute();
        }
        handle.createUpdate(sql("insertBatchFlavorHistory")).bind("cloud", cloudId)
                .bind("run", runId).execute();
    }

    /**
     * The facts of the ranges that are not fresh, staged and compared with what is recorded: all at once, or one
     * range after the other, in order, when a staged fact is recorded under the project of another staged range.
     */
    private Map<Integer, Written> loadStagedFacts(List<Integer> staged) throws SQLException {
        if (staged.isEmpty()) {
            return Map.of();
        }
        for (int doc : staged) {
            copyStagedFacts(doc);
        }
        handle.execute(sql("analyzeBatchFacts"));
        if (staged.size() == 1 || !stagedFactsCollide()) {
            return writeStagedFacts();
        }
        // one after the other, in order, as loading the ranges one at a time would
        Map<Integer, Written> written = new HashMap<>();
        for (int doc : staged) {
            handle.execute(sql("truncateBatchFacts"));
            copyStagedFacts(doc);
            handle.createUpdate(sql("stagedRangeOnly")).bind("doc", doc).execute();
            writeStagedFacts().forEach((range, counts) -> written.merge(range, counts, Written::plus));
        }
        return written;
    }

    private boolean stagedFactsCollide() {
        return handle.createQuery(sql("batchFactCollisions")).bind("cloud", cloudId)
                .mapTo(Boolean.class).one();
    }

    /** COPYs the facts of range {@code doc} into stage_batch_fact, after the range's position. */
    private void copyStagedFacts(int doc) throws SQLException {
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), sql("copyBatchFacts"), 15)) {
            FactRows rows = new FactRows() {
                @Override
                BinaryCopyWriter copy() {
                    return copy;
                }

                @Override
                void before(BinaryCopyWriter writer) {
                    writer.integer(doc);
                }
            };
            rows.writeAll(ranges.get(doc)::forEachFact);
            copy.finish();
        }
    }

    /**
     * The staged facts of the ranges not marked fresh: compared with the recorded closed windows
     * (restatements), the replaced ones deleted, the rest upserted; the counts per range.
     */
    private Map<Integer, Written> writeStagedFacts() {
        Map<Integer, Long> restatements = countPerRange("recordBatchRestatements");
        handle.createUpdate(sql("deleteBatchReplacedFacts")).bind("cloud", cloudId)
                .bind("restate", options.restate()).execute();
        Map<Integer, Long> rows = countPerRange("upsertBatchFacts");
        Map<Integer, Written> written = new HashMap<>();
        rows.forEach((doc, count) -> written.merge(doc, new Written(count, 0), Written::plus));
        restatements.forEach((doc, count) -> written.merge(doc, new Written(0, count), Written::plus));
        return written;
    }

    /** Runs a staged statement that returns a count per range (doc, count). */
    private Map<Integer, Long> countPerRange(String statement) {
        Map<Integer, Long> counts = new HashMap<>();
        handle.createQuery(sql(statement)).bind("cloud", cloudId).bind("run", runId)
                .bind("restate", options.restate())
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .forEach(count -> counts.merge(count.getKey(), count.getValue(), Long::sum));
        return counts;
    }

    /**
     * The facts of the fresh ranges: COPYed into the partition of their month (see copyNewFacts.sql) a UTC day of
     * windows at a time, then their counts added to metrics.usage_rollup and (finer grids than a day) their server
     * days to metrics.usage_server_day as the fact table's triggers would have.
     */
    private Map<Integer, Written> copyFreshFacts(List<Integer> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        Map<RollupKey, Long> counts = new HashMap<>();
        Map<ServerDayKey, ServerDay> serverDays = new HashMap<>();
        Map<Integer, Written> written = new HashMap<>();
        for (int doc : fresh) {
            TransformedRange range = ranges.get(doc);
            long rows = 0;
            if (!range.spans().isEmpty()) {
                Instant end = range.extraction().requestedEnd();
                for (Instant day = range.extraction().start(); day.isBefore(end); ) {
                    Instant next = day.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
                    Instant sliceEnd = next.isBefore(end) ? next : end;
                    rows += copyFreshSlice(range, day, sliceEnd, counts, serverDays);
                    if (counts.size() >= rollupFlushGroups) {
                        stageRollup(counts);
                    }
                    if (serverDays.size() >= rollupFlushGroups) {
                        stageServerDays(serverDays);
                    }
                    day = sliceEnd;
                }
            }
            written.put(doc, new Written(rows, 0));
        }
        stageRollup(counts);
        handle.createUpdate(sql("addFreshRollup")).bind("cloud", cloudId).execute();
        if (keepsServerDays) {
            stageServerDays(serverDays);
            handle.createUpdate(sql("addFreshServerDays")).bind("cloud", cloudId).execute();
        }
        return written;
    }

    /**
     * COPYs the range's facts of the windows starting in {@code [from, to)} (one month's partition) and counts
     * them into {@code counts} and {@code serverDays}; no COPY when there is none (a month with no fact has no
     * partition).
     */
    private long copyFreshSlice(TransformedRange range, Instant from, Instant to, Map<RollupKey, Long> counts,
            Map<ServerDayKey, ServerDay> serverDays) throws SQLException {
        try (FreshFactRows rows = new FreshFactRows(YearMonth.from(from.atOffset(ZoneOffset.UTC)), counts, serverDays)) {
            rows.writeAll(action -> range.forEachFact(from, to, action));
            return rows.finish();
        }
    }

    /** Sends the counts of the fresh facts to stage_batch_rollup and forgets them (addFreshRollup sums them). */
    private void stageRollup(Map<RollupKey, Long> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, byte[]> texts = new HashMap<>();
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), sql("copyFreshRollup"), 9)) {
            for (Map.Entry<RollupKey, Long> count : counts.entrySet()) {
                RollupKey key = count.getKey();
                copy.timestamp(key.windowStart()).bytes(texts.computeIfAbsent(key.projectId(), BatchLoad::utf8))
                        .integer(key.flavorId()).integer(key.vcpus()).integer(key.memoryMb()).integer(key.localGb())
                        .float8(key.hours()).bool(key.provisional()).bigint(count.getValue()).endRow();
            }
            copy.finish();
        }
        counts.clear();
    }

    /**
     * Sends the server days of the fresh facts to stage_batch_server_day and forgets them (addFreshServerDays merges
     * them).
     */
    private void stageServerDays(Map<ServerDayKey, ServerDay> serverDays) throws SQLException {
        if (serverDays.isEmpty()) {
            return;
        }
        Map<String, byte[]> texts = new HashMap<>();
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), sql("copyFreshServerDays"), 5)) {
            for (Map.Entry<ServerDayKey, ServerDay> serverDay : serverDays.entrySet()) {
                ServerDayKey key = serverDay.getKey();
                ServerDay day = serverDay.getValue();
                copy.bytes(texts.computeIfAbsent(key.projectId(), BatchLoad::utf8)).uuid(key.instanceId())
                        .timestamp(day.first).timestamp(day.last).integer(day.facts).endRow();
            }
            copy.finish();
        }
        serverDays.clear();
    }

    /** Each range's extracted range, Nova's totals, anomalies and raw pages, each statement with its own values. */
    private void recordRanges() {
        PreparedBatch extractedRanges = handle.prepareBatch(sql("upsertExtractedRange"));
        PreparedBatch novaTotals = handle.prepareBatch(sql("upsertNovaTotals"));
        PreparedBatch anomalies = handle.prepareBatch(sql("insertAnomaly"));
        PreparedBatch rawPages = handle.prepareBatch(sql("insertRawPage"));
        for (TransformedRange range : ranges) {
            UsageExtraction extraction = range.extraction();
            addExtractedRange(extractedRanges, extraction);
            range.reconciliations().forEach(r -> addNovaTotals(novaTotals, extraction, r));
            range.anomalies().forEach(anomaly -> addAnomaly(anomalies, extraction, anomaly));
            extraction.rawPages().forEach(page -> addRawPage(rawPages, extraction, page));
        }
        for (PreparedBatch batch : List.of(extractedRanges, novaTotals, anomalies, rawPages)) {
            if (batch.size() > 0) {
                batch.execute();
            }
        }
    }

    private void addExtractedRange(PreparedBatch batch, UsageExtraction extraction) {
        batch.bind("cloud", cloudId)
                .bind("scope", extraction.scope().key())
                .bind("start", extraction.start())
                .bind("end", extraction.requestedEnd())
                .bind("stop", extraction.stop())
                .bind("provisional", extraction.provisional())
                .bind("microversion", extraction.microversion())
                .bind("truncationSuspected", extraction.truncationSuspected())
                .bind("serverCount", extraction.serverCount())
                .bind("extractedAt", extraction.extractedAt() == null ? extraction.stop() : extraction.extractedAt())
                .bind("run", runId)
                .bind("restate", options.restate())
                .add();
    }

    private void addNovaTotals(PreparedBatch batch, UsageExtraction extraction, Reconciliation r) {
        batch.bind("cloud", cloudId)
                .bind("project", r.projectId())
                .bind("start", extraction.start())
                .bind("end", extraction.requestedEnd())
                .bind("serverCount", r.nova().serverCount())
                .bind("totalHours", r.nova().totalHours())
                .bind("totalVcpus", r.nova().totalVcpusUsage())
                .bind("totalMemory", r.nova().totalMemoryMbUsage())
                .bind("totalDisk", r.nova().totalLocalGbUsage())
                .bind("ourHours", r.ours().totalHours())
                .bind("ourVcpus", r.ours().totalVcpusUsage())
                .bind("ourMemory", r.ours().totalMemoryMbUsage())
                .bind("ourDisk", r.ours().totalLocalGbUsage())
                .bind("matches", r.matches())
                .bind("provisional", extraction.provisional())
                .bind("run", runId)
                .bind("restate", options.restate())
                .add();
    }

    private void addAnomaly(PreparedBatch batch, UsageExtraction extraction, Anomaly anomaly) {
        batch.bind("cloud", cloudId)
                .bind("run", runId)
                .bind("start", extraction.start())
                .bind("end", extraction.requestedEnd())
                .bind("project", anomaly.projectId())
                .bind("instance", anomaly.instanceId())
                .bind("kind", anomaly.kind().code())
                .bind("detail", anomaly.detail())
                .add();
    }

    private void addRawPage(PreparedBatch batch, UsageExtraction extraction, RawPage page) {
        batch.bind("cloud", cloudId)
                .bind("scope", extraction.scope().key())
                .bind("start", extraction.start())
                .bind("page", page.index())
                .bind("run", runId)
                .bind("url", page.url())
                .bind("status", page.status())
                .bind("microversion", page.microversion())
                .bind("body", page.body())
                .add();
    }

    /** The run's counters: windows and rows add up, servers is the largest range's count. */
    private void countRun(List<LoadResult> results) {
        handle.createUpdate(sql("countRun"))
                .bind("windows", results.stream().mapToInt(LoadResult::windows).sum())
                .bind("servers", results.stream().mapToInt(LoadResult::servers).max().orElse(0))
                .bind("rows", results.stream().mapToLong(LoadResult::rows).sum())
                .bind("run", runId)
                .execute();
    }

    /** A statement of the load, from src/main/resources/org/osmetrics/load/UsageLoader/{name}.sql. */
    private static String sql(String name) {
        return SQL.locate(UsageLoader.class, name);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean sameFlavor(WindowFact fact, WindowFact other) {
        return fact.flavor().equals(other.flavor()) && fact.vcpus() == other.vcpus() && fact.memoryMb() == other.memoryMb()
                && fact.localGb() == other.localGb();
    }

    /** A fact failed to go into its COPY: carries the SQLException out of the range's forEachFact. */
    private static final class CopyFailed extends RuntimeException {
        CopyFailed(SQLException cause) {
            super(cause);
        }
    }

    /**
     * Writes facts as binary COPY rows of the fact table's 14 value columns, with whatever comes before and after
     * them (the range's position; the cloud and the run). Few distinct texts and flavors, each server's facts
     * together: each text is encoded and each flavor looked up once.
     */
    private abstract class FactRows implements Consumer<WindowFact> {
        private final Map<String, byte[]> texts = new HashMap<>();
        private WindowFact previous;
        private int flavorId;

        /** The COPY the rows go into. */
        abstract BinaryCopyWriter copy() throws SQLException;

        /** Writes the columns before the fact's. */
        void before(BinaryCopyWriter writer) {
        }

        /** Writes the columns after the fact's. */
        void after(BinaryCopyWriter writer, WindowFact fact, int flavor) {
        }

        /** Hands this writer to {@code reading} (a range's forEachFact); a failed COPY comes out as its SQLException. */
        final void writeAll(Consumer<Consumer<WindowFact>> reading) throws SQLException {
            try {
                reading.accept(this);
            } catch (CopyFailed e) {
                throw (SQLException) e.getCause();
            }
        }

        @Override
        public final void accept(WindowFact fact) {
            try {
                BinaryCopyWriter copy = copy();
                if (previous == null || !sameFlavor(fact, previous)) {
                    flavorId = flavors.get(FlavorKey.of(fact));
                }
                previous = fact;
                before(copy);
                copy.uuid(fact.instanceId()).bytes(texts.computeIfAbsent(fact.projectId(), BatchLoad::utf8))
                        .timestamp(fact.windowStart()).timestamp(fact.windowEnd()).integer(flavorId).integer(fact.vcpus())
                        .integer(fact.memoryMb()).integer(fact.localGb()).float8(fact.hours()).float8(fact.vcpuHours())
                        .float8(fact.memoryMbHours()).float8(fact.localGbHours())
                        .bytes(texts.computeIfAbsent(fact.state(), BatchLoad::utf8)).bool(fact.provisional());
                after(copy, fact, flavorId);
                copy.endRow();
            } catch (SQLException e) {
                throw new CopyFailed(e);
            }
        }
    }

    /**
     * Fresh facts of one month, with the cloud and the run, into that month's partition; the COPY starts with the
     * first fact (none for a slice without facts). Counts each fact into its rollup group and its server day.
     */
    private final class FreshFactRows extends FactRows implements AutoCloseable {
        private final String copySql;
        private final Map<RollupKey, Long> counts;
        private final Map<ServerDayKey, ServerDay> serverDays;
        private BinaryCopyWriter copy;
        /** The server day of the previous fact: a server's facts come together. */
        private ServerDayKey serverDayKey;
        private ServerDay serverDay;

        FreshFactRows(YearMonth month, Map<RollupKey, Long> counts, Map<ServerDayKey, ServerDay> serverDays) {
            this.copySql = sql("copyNewFacts").replace("<partition>", Partitions.table(month));
            this.counts = counts;
            this.serverDays = serverDays;
        }

        @Override
        BinaryCopyWriter copy() throws SQLException {
            if (copy == null) {
                copy = BinaryCopyWriter.start(handle.getConnection(), copySql, 16);
            }
            return copy;
        }

        @Override
        void before(BinaryCopyWriter writer) {
            writer.integer(cloudId);
        }

        @Override
        void after(BinaryCopyWriter writer, WindowFact fact, int flavor) {
            writer.bigint(runId);
            counts.merge(new RollupKey(fact.windowStart(), fact.projectId(), flavor, fact.vcpus(), fact.memoryMb(),
                    fact.localGb(), fact.hours(), fact.provisional()), 1L, Long::sum);
            if (keepsServerDays) {
                serverDay(fact).add(fact.windowStart());
            }
        }

        private ServerDay serverDay(WindowFact fact) {
            long day = Math.floorDiv(fact.windowStart().getEpochSecond(), ONE_DAY_SECONDS);
            if (serverDay == null || serverDayKey.epochDay() != day || !serverDayKey.instanceId().equals(fact.instanceId())
                    || !serverDayKey.projectId().equals(fact.projectId())) {
                serverDayKey = new ServerDayKey(day, fact.projectId(), fact.instanceId());
                serverDay = serverDays.computeIfAbsent(serverDayKey, key -> new ServerDay());
            }
            return serverDay;
        }

        /** Ends the COPY; the rows written (0 when there was none). */
        long finish() throws SQLException {
            return copy == null ? 0 : copy.finish();
        }

        @Override
        public void close() throws SQLException {
            if (copy != null) {
                copy.close();
            }
        }
    }
}

package org.osmetrics.load;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.KeystoneProject;
import org.osmetrics.extract.RawPage;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.transform.Anomaly;
import org.osmetrics.transform.Reconciliation;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;
import org.osmetrics.transform.WindowFact;

/**
 * The load stage: commits everything of one extracted range in one transaction (after a crash a range
 * is either fully there or not there). Servers and facts go through COPY into staging tables, then one
 * set-based statement each; re-loading the same or an overlapping range gives exactly the same rows.
 * Used by {@code run}, {@code demo}, and by any command that loads extractions. Thread-safe (stateless
 * over Jdbi); concurrent loads of one cloud are prevented by {@link RunLock}.
 */
public final class UsageLoader {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    /**
     * The facts of the ranges nothing is recorded in yet go straight into the fact table (markFreshBatchRanges.sql),
     * into the partition of their month ({@code %s}): the triggers that keep metrics.usage_rollup (V83) are the
     * fact table's and do not fire, and the loader adds the counts itself (COPY_FRESH_ROLLUP), which costs a hash
     * map here instead of a transition table of every row in PostgreSQL.
     */
    private static final String COPY_NEW_FACTS = "COPY metrics.%s (cloud_id, instance_id, project_id, window_start,"
            + " window_end, flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours,"
            + " state, provisional, run_id) FROM STDIN WITH (FORMAT binary)";
    /** The fresh facts counted per window, project, flavor, sizes, hours and provisional flag (addFreshRollup.sql). */
    private static final String COPY_FRESH_ROLLUP = "COPY stage_batch_rollup (window_start, project_id, flavor_id, vcpus,"
            + " memory_mb, local_gb, hours, provisional, facts) FROM STDIN WITH (FORMAT binary)";

    /** The servers of every range of a batch, with the range's start and stop and its position. */
    private static final String COPY_BATCH_SERVERS = "COPY stage_batch_server (instance_id, project_id, name, flavor_id,"
            + " started_at, ended_at, state, uptime, first_seen, last_seen, doc) FROM STDIN";
    private static final String COPY_BATCH_RANGES = "COPY stage_batch_range (doc, range_start, range_end, stop,"
            + " all_projects, project_id, own_project) FROM STDIN";
    /** The facts of the ranges of a batch that meet recorded data, after their position in the batch. */
    private static final String COPY_BATCH_FACTS = "COPY stage_batch_fact (doc, instance_id, project_id, window_start,"
            + " window_end, flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours,"
            + " state, provisional) FROM STDIN WITH (FORMAT binary)";
    /**
     * One step of loading the staged ranges one after the other: only range {@code :doc} is left to the staged
     * statements, which skip the others as they skip the fresh ones.
     */
    private static final String STAGED_RANGE_ONLY = "UPDATE stage_batch_range SET fresh = doc <> :doc";

    private final Jdbi jdbi;

    public UsageLoader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Transforms one extraction on the cloud's grid and loads it. */
    public LoadResult load(Cloud cloud, UsageExtraction extraction, LoadOptions options, long runId) {
        TransformedRange range;
        try {
            range = UsageTransform.transform(extraction, cloud.grid());
        } catch (IllegalArgumentException e) {
            throw OsMetricsException.usage("cannot load " + extraction.start() + ".." + extraction.requestedEnd()
                    + " for cloud " + cloud.key() + ": " + e.getMessage());
        }
        return load(cloud, range, options, runId);
    }

    /** Loads one transformed range in one transaction: a batch of one. */
    public LoadResult load(Cloud cloud, TransformedRange range, LoadOptions options, long runId) {
        return loadBatch(cloud, List.of(range), options, runId).get(0);
    }

    private static LoadResult result(TransformedRange range, long rows, long restatements) {
        UsageExtraction extraction = range.extraction();
        return new LoadResult(extraction.start(), extraction.requestedEnd(), extraction.provisional(),
                range.windowStarts().size(), range.servers().size(), rows, restatements, range.anomalies().size(),
                range.reconciled());
    }

    private static <T extends SqlStatement<T>> T bindExtractedRange(T sql, UsageExtraction extraction) {
        return sql.bind("scope", extraction.scope().key())
                .bind("provisional", extraction.provisional())
                .bind("microversion", extraction.microversion())
                .bind("truncationSuspected", extraction.truncationSuspected())
                .bind("serverCount", extraction.serverCount())
                .bind("extractedAt", extraction.extractedAt() == null ? extraction.stop() : extraction.extractedAt());
    }

    /** Runs a batch statement that returns a count per range (doc, count) and adds them to {@code counts}. */
    private static void perRange(Handle handle, String statement, int cloudId, long runId, LoadOptions options,
            long[] counts) {
        handle.createQuery(SQL.locate(UsageLoader.class, statement)).bind("cloud", cloudId).bind("run", runId)
                .bind("restate", options.restate())
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .forEach(count -> counts[count.getKey()] += count.getValue());
    }

    /** The database's own words (the statement text and values stay in the cause, for --debug). */
    private static String rootMessage(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * True when {@code a} and {@code b} may be loaded in one {@link #loadBatch} in either order: their ranges do
     * not overlap, or they overlap but each holds only the servers of its own project, the projects differ
     * and no server is listed in both. Then neither range reads or writes a row the other one writes (facts,
     * extracted ranges, Nova totals, raw pages), and the servers they share are merged as loading them one
     * after the other would.
     */
    public static boolean canShareBatch(TransformedRange a, TransformedRange b) {
        UsageExtraction x = a.extraction();
        UsageExtraction y = b.extraction();
        if (!x.start().isBefore(y.requestedEnd()) || !y.start().isBefore(x.requestedEnd())) {
            return true;
        }
        if (x.scope().equals(y.scope()) || !ownProjectOnly(a) || !ownProjectOnly(b)) {
            return false;
        }
        Set<String> servers = new HashSet<>();
        a.servers().forEach(server -> servers.add(UUID.fromString(server.instanceId()).toString()));
        return b.servers().stream().noneMatch(server -> servers.contains(UUID.fromString(server.instanceId()).toString()));
    }

    /** A range of one project whose servers, facts and totals all belong to that project. */
    private static boolean ownProjectOnly(TransformedRange range) {
        Scope scope = range.extraction().scope();
        if (scope.isAllProjects()) {
            return false;
        }
        String project = scope.projectId();
        return range.servers().stream().allMatch(server -> project.equals(server.tenantId()))
                && range.facts().stream().allMatch(fact -> project.equals(fact.projectId()))
                && range.reconciliations().stream().allMatch(r -> project.equals(r.projectId()));
    }

    /**
     * Loads several ranges in ONE transaction with set-based statements over all of them (one COPY of their
     * servers, one of the facts of the ranges nothing is recorded in yet, one of the facts of the others, which
     * are staged and compared with what is recorded), leaving exactly the rows that loading them one after the
     * other leaves (flavor ids aside, which are only numbered without gaps). Every pair must pass
     * {@link #canShareBatch}; when a staged fact is recorded under the project of another staged range, the
     * staged ranges are compared and written one after the other, in order. All or nothing: when the database
     * refuses anything, nothing of the batch is stored.
     *
     * @return what loading each range did, in order
     */
    public List<LoadResult> loadBatch(Cloud cloud, List<TransformedRange> ranges, LoadOptions options, long runId) {
        if (ranges.isEmpty()) {
            return List.of();
        }
        // the months the facts fall in: a month that receives no fact gets no partition
        Set<YearMonth> months = new TreeSet<>();
        for (TransformedRange range : ranges) {
            for (WindowFact fact : range.facts()) {
                months.add(YearMonth.from(fact.windowStart().atOffset(ZoneOffset.UTC)));
            }
        }
        Partitions.ensure(jdbi, months);
        try {
            return jdbi.inTransaction(handle -> loadBatchInTransaction(handle, cloud, ranges, options, runId));
        } catch (SQLException | JdbiException e) {
            String first = describe(ranges.get(0));
            String what = ranges.size() == 1 ? first
                    : ranges.size() + " ranges from " + first + " to " + describe(ranges.get(ranges.size() - 1));
            throw OsMetricsException.database("loading " + what + " failed and was rolled back: " + rootMessage(e), e);
        }
    }

    private static String describe(TransformedRange range) {
        UsageExtraction extraction = range.extraction();
        return extraction.start() + ".." + extraction.requestedEnd() + " (" + extraction.scope() + ")";
    }

    /**
     * True when {@code e} (from {@link #load} or {@link #loadBatch}) is the database refusing the data itself
     * (SQLSTATE class 22 data exception or 23 integrity violation, e.g. a NUL character in a text), not the
     * database failing: loading other data may still work.
     */
    static boolean refusedData(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static List<LoadResult> loadBatchInTransaction(Handle handle, Cloud cloud, List<TransformedRange> ranges,
            LoadOptions options, long runId) throws SQLException {
        handle.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        // the statements below are short; compiling their plans (JIT) took longer than running them
        handle.execute("SET LOCAL jit = off");
        int cloudId = cloud.cloudId();
        Map<FlavorKey, Integer> flavors = upsertFlavors(handle, cloudId,
                ranges.stream().flatMap(range -> range.servers().stream()).toList());
        handle.execute(SQL.locate(UsageLoader.class, "createBatchStaging"));
        try (CopyWriter copy = CopyWriter.start(handle.getConnection(), COPY_BATCH_SERVERS)) {
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
        try (CopyWriter copy = CopyWriter.start(handle.getConnection(), COPY_BATCH_RANGES)) {
            for (int doc = 0; doc < ranges.size(); doc++) {
                UsageExtraction extraction = ranges.get(doc).extraction();
                copy.number(doc).time(extraction.start()).time(extraction.requestedEnd()).time(extraction.stop())
                        .bool(extraction.scope().isAllProjects()).text(extraction.scope().projectId())
                        .bool(ownProjectOnly(ranges.get(doc))).endRow();
            }
            copy.finish();
        }
        handle.execute("ANALYZE stage_batch_server");
        Set<Integer> fresh = new HashSet<>();
        handle.createQuery(SQL.locate(UsageLoader.class, "markFreshBatchRanges")).bind("cloud", cloudId)
                .map((rs, ctx) -> rs.getBoolean("fresh") ? rs.getInt("doc") : -1)
                .forEach(fresh::add);
        for (String statement : List.of("upsertBatchProjects", "recordBatchProjectServers", "upsertBatchServers",
                "insertBatchFlavorHistory")) {
            handle.createUpdate(SQL.locate(UsageLoader.class, statement)).bind("cloud", cloudId).bind("run", runId)
                    .execute();
        }
        long[] rows = new long[ranges.size()];
        long[] restatements = new long[ranges.size()];
        List<WindowFact> freshFacts = new ArrayList<>();
        List<Integer> staged = new ArrayList<>();
        for (int doc = 0; doc < ranges.size(); doc++) {
            TransformedRange range = ranges.get(doc);
            if (fresh.contains(doc)) {
                freshFacts.addAll(range.facts());
                rows[doc] = range.facts().size();
            } else {
                staged.add(doc);
                copyFacts(handle, COPY_BATCH_FACTS, range.facts(), flavors, doc, null);
            }
        }
        if (!staged.isEmpty()) {
            handle.execute("ANALYZE stage_batch_fact, stage_batch_range");
            if (staged.size() > 1 && handle.createQuery(SQL.locate(UsageLoader.class, "batchFactCollisions"))
                    .bind("cloud", cloudId).mapTo(Boolean.class).one()) {
                // one after the other, in order, as loading the ranges one at a time would
                for (int doc : staged) {
                    handle.execute("TRUNCATE stage_batch_fact");
                    copyFacts(handle, COPY_BATCH_FACTS, ranges.get(doc).facts(), flavors, doc, null);
                    handle.createUpdate(STAGED_RANGE_ONLY).bind("doc", doc).execute();
                    loadStagedFacts(handle, cloudId, runId, options, rows, restatements);
                }
            } else {
                loadStagedFacts(handle, cloudId, runId, options, rows, restatements);
            }
        }
        if (!freshFacts.isEmpty()) {
            copyFreshFacts(handle, freshFacts, flavors, cloudId, runId);
        }
        PreparedBatch extractedRanges = handle.prepareBatch(SQL.locate(UsageLoader.class, "upsertExtractedRange"));
        PreparedBatch novaTotals = handle.prepareBatch(SQL.locate(UsageLoader.class, "upsertNovaTotals"));
        PreparedBatch anomalies = handle.prepareBatch(SQL.locate(UsageLoader.class, "insertAnomaly"));
        PreparedBatch rawPages = handle.prepareBatch(SQL.locate(UsageLoader.class, "insertRawPage"));
        List<LoadResult> results = new ArrayList<>(ranges.size());
        int windows = 0;
        int servers = 0;
        long allRows = 0;
        for (int doc = 0; doc < ranges.size(); doc++) {
            TransformedRange range = ranges.get(doc);
            UsageExtraction extraction = range.extraction();
            Params params = new Params(cloudId, runId, extraction, options.restate());
            bindExtractedRange(params.bindAll(extractedRanges), extraction).add();
            range.reconciliations().forEach(r -> bindNovaTotals(params.bindAll(novaTotals), params, r).add());
            range.anomalies().forEach(anomaly -> bindAnomaly(params.bindAll(anomalies), anomaly).add());
            extraction.rawPages().forEach(page -> bindRawPage(params.bindAll(rawPages), extraction.scope().key(), page).add());
            windows += range.windowStarts().size();
            servers = Math.max(servers, range.servers().size());
            allRows += rows[doc];
            results.add(result(range, rows[doc], restatements[doc]));
        }
        for (PreparedBatch batch : List.of(extractedRanges, novaTotals, anomalies, rawPages)) {
            if (batch.size() > 0) {
                batch.execute();
            }
        }
        handle.createUpdate(SQL.locate(UsageLoader.class, "countRun"))
                .bind("windows", windows).bind("servers", servers).bind("rows", allRows).bind("run", runId)
                .execute();
        return results;
    }

    /**
     * The staged facts of the ranges that are not fresh: compared with the recorded closed windows
     * (restatements), the replaced ones deleted, the rest upserted; adds the counts per range.
     */
    private static void loadStagedFacts(Handle handle, int cloudId, long runId, LoadOptions options, long[] rows,
            long[] restatements) {
        perRange(handle, "recordBatchRestatements", cloudId, runId, options, restatements);
        handle.createUpdate(SQL.locate(UsageLoader.class, "deleteBatchReplacedFacts")).bind("cloud", cloudId)
                .bind("restate", options.restate()).execute();
        perRange(handle, "upsertBatchFacts", cloudId, runId, options, rows);
    }

    /** Stores the project names Keystone gave (the credentials may not allow listing them: then none). */
    public void recordProjectNames(Cloud cloud, Map<String, String> names) {
        if (names.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO metrics.project (cloud_id, project_id, name)"
                    + " VALUES (:cloud, :project, :name) ON CONFLICT (cloud_id, project_id) DO UPDATE"
                    + " SET name = excluded.name, updated_at = now() WHERE project.name IS DISTINCT FROM excluded.name");
            names.forEach((id, name) -> batch.bind("cloud", cloud.cloudId()).bind("project", id).bind("name", name).add());
            batch.execute();
        });
    }

    /**
     * Stores the projects Keystone listed: names, and domains (a domain's name only when the credentials may list
     * domains; a name known before is kept while the domain stays the same). Nothing when none were listed.
     */
    public void recordProjects(Cloud cloud, List<KeystoneProject> projects) {
        if (projects.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(SQL.locate(UsageLoader.class, "recordProjects"));
            projects.forEach(p -> batch.bind("cloud", cloud.cloudId()).bind("project", p.id()).bind("name", p.name())
                    .bind("domainId", p.domainId()).bind("domainName", p.domainName()).add());
            batch.execute();
        });
    }

    private record FlavorKey(String name, int vcpus, int memoryMb, int localGb) {
        static FlavorKey of(ServerUsage server) {
            return new FlavorKey(server.flavor(), server.vcpus(), server.memoryMb(), server.localGb());
        }

        static FlavorKey of(WindowFact fact) {
            return new FlavorKey(fact.flavor(), fact.vcpus(), fact.memoryMb(), fact.localGb());
        }
    }

    private static Map<FlavorKey, Integer> upsertFlavors(Handle handle, int cloudId, List<ServerUsage> servers) {
        PreparedBatch insert = handle.prepareBatch("INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb)"
                + " VALUES (:cloud, :name, :vcpus, :memory, :disk) ON CONFLICT DO NOTHING");
        servers.stream().map(FlavorKey::of).distinct().forEach(key -> insert.bind("cloud", cloudId)
                .bind("name", key.name()).bind("vcpus", key.vcpus()).bind("memory", key.memoryMb())
                .bind("disk", key.localGb()).add());
        if (insert.size() > 0) {
            insert.execute();
        }
        Map<FlavorKey, Integer> ids = new HashMap<>();
        handle.createQuery("SELECT flavor_id, name, vcpus, memory_mb, local_gb FROM metrics.flavor WHERE cloud_id = :cloud")
                .bind("cloud", cloudId)
                .map((rs, ctx) -> Map.entry(new FlavorKey(rs.getString("name"), rs.getInt("vcpus"), rs.getInt("memory_mb"),
                        rs.getInt("local_gb")), rs.getInt("flavor_id")))
                .forEach(entry -> ids.put(entry.getKey(), entry.getValue()));
        return ids;
    }

    /** A group of metrics.usage_rollup within one cloud. */
    private record RollupKey(Instant windowStart, String projectId, int flavorId, int vcpus, int memoryMb, int localGb,
            double hours, boolean provisional) {
    }

    /**
     * The facts of the fresh ranges: COPYed into the partition of their month (see COPY_NEW_FACTS), then their
     * counts added to metrics.usage_rollup as the fact table's triggers would have.
     */
    private static void copyFreshFacts(Handle handle, List<WindowFact> facts, Map<FlavorKey, Integer> flavors, int cloudId,
            long runId) throws SQLException {
        Map<YearMonth, List<WindowFact>> byMonth = new TreeMap<>();
        Map<RollupKey, Long> counts = new HashMap<>();
        for (WindowFact fact : facts) {
            byMonth.computeIfAbsent(YearMonth.from(fact.windowStart().atOffset(ZoneOffset.UTC)), month -> new ArrayList<>())
                    .add(fact);
            counts.merge(new RollupKey(fact.windowStart(), fact.projectId(), flavors.get(FlavorKey.of(fact)), fact.vcpus(),
                    fact.memoryMb(), fact.localGb(), fact.hours(), fact.provisional()), 1L, Long::sum);
        }
        for (Map.Entry<YearMonth, List<WindowFact>> month : byMonth.entrySet()) {
            copyFacts(handle, String.format(COPY_NEW_FACTS, Partitions.table(month.getKey())), month.getValue(), flavors,
                    cloudId, runId);
        }
        Map<String, byte[]> texts = new HashMap<>();
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), COPY_FRESH_ROLLUP, 9)) {
            for (Map.Entry<RollupKey, Long> count : counts.entrySet()) {
                RollupKey key = count.getKey();
                copy.timestamp(key.windowStart()).bytes(texts.computeIfAbsent(key.projectId(), UsageLoader::utf8))
                        .integer(key.flavorId()).integer(key.vcpus()).integer(key.memoryMb()).integer(key.localGb())
                        .float8(key.hours()).bool(key.provisional()).bigint(count.getValue()).endRow();
            }
            copy.finish();
        }
        handle.createUpdate(SQL.locate(UsageLoader.class, "addFreshRollup")).bind("cloud", cloudId).execute();
    }

    /**
     * COPYs the facts in binary form: into the fact table with the cloud and run columns ({@code cloudId} and
     * {@code runId} not null), or into a staging table without them (both null), or with a leading integer
     * column only (a batch's position of the range, given as {@code cloudId}).
     */
    private static long copyFacts(Handle handle, String copySql, List<WindowFact> facts, Map<FlavorKey, Integer> flavors,
            Integer cloudId, Long runId) throws SQLException {
        // Few distinct texts and flavors, each server's facts together: each is encoded or looked up once.
        Map<String, byte[]> texts = new HashMap<>();
        WindowFact previous = null;
        int flavorId = 0;
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), copySql,
                14 + (cloudId == null ? 0 : 1) + (runId == null ? 0 : 1))) {
            for (WindowFact fact : facts) {
                if (previous == null || !sameFlavor(fact, previous)) {
                    flavorId = flavors.get(FlavorKey.of(fact));
                }
                previous = fact;
                if (cloudId != null) {
                    copy.integer(cloudId);
                }
                copy.uuid(fact.instanceId()).bytes(texts.computeIfAbsent(fact.projectId(), UsageLoader::utf8))
                        .timestamp(fact.windowStart()).timestamp(fact.windowEnd()).integer(flavorId).integer(fact.vcpus())
                        .integer(fact.memoryMb()).integer(fact.localGb()).float8(fact.hours()).float8(fact.vcpuHours())
                        .float8(fact.memoryMbHours()).float8(fact.localGbHours())
                        .bytes(texts.computeIfAbsent(fact.state(), UsageLoader::utf8)).bool(fact.provisional());
                if (runId != null) {
                    copy.bigint(runId);
                }
                copy.endRow();
            }
            return copy.finish();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean sameFlavor(WindowFact fact, WindowFact other) {
        return fact.flavor().equals(other.flavor()) && fact.vcpus() == other.vcpus() && fact.memoryMb() == other.memoryMb()
                && fact.localGb() == other.localGb();
    }

    private static <T extends SqlStatement<T>> T bindNovaTotals(T sql, Params params, Reconciliation r) {
        return sql.bind("project", r.projectId())
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
                .bind("provisional", params.extraction.provisional());
    }

    private static <T extends SqlStatement<T>> T bindAnomaly(T sql, Anomaly anomaly) {
        return sql.bind("project", anomaly.projectId())
                .bind("instance", anomaly.instanceId())
                .bind("kind", anomaly.kind().code())
                .bind("detail", anomaly.detail());
    }

    private static <T extends SqlStatement<T>> T bindRawPage(T sql, String scope, RawPage page) {
        return sql.bind("scope", scope)
                .bind("page", page.index())
                .bind("url", page.url())
                .bind("status", page.status())
                .bind("microversion", page.microversion())
                .bind("body", page.body());
    }

    /** The parameters every statement of one load shares; each statement binds the ones it names. */
    private record Params(int cloudId, long runId, UsageExtraction extraction, boolean restate) {
        <T extends SqlStatement<T>> T bindAll(T sql) {
            Instant start = extraction.start();
            return sql
                    .bind("cloud", cloudId)
                    .bind("run", runId)
                    .bind("start", start)
                    .bind("end", extraction.requestedEnd())
                    .bind("stop", extraction.stop())
                    .bind("restate", restate)
                    .bind("allProjects", extraction.scope().isAllProjects())
                    .bind("project", extraction.scope().projectId());
        }
    }
}

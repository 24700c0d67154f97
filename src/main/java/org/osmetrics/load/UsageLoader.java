package org.osmetrics.load;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.Update;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.RawPage;
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
    private static final String COPY_SERVERS = "COPY stage_server (instance_id, project_id, name, flavor_id, started_at,"
            + " ended_at, state, uptime) FROM STDIN";
    private static final String COPY_FACTS = "COPY stage_fact (instance_id, project_id, window_start, window_end,"
            + " flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state,"
            + " provisional) FROM STDIN WITH (FORMAT binary)";
    /** A range nothing is recorded in yet: its facts go straight into the fact table (isNewRange.sql). */
    private static final String COPY_NEW_FACTS = "COPY metrics.usage_fact (cloud_id, instance_id, project_id, window_start,"
            + " window_end, flavor_id, vcpus, memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours,"
            + " state, provisional, run_id) FROM STDIN WITH (FORMAT binary)";

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

    /** Loads one transformed range in one transaction. */
    public LoadResult load(Cloud cloud, TransformedRange range, LoadOptions options, long runId) {
        UsageExtraction extraction = range.extraction();
        Partitions.ensureMonths(jdbi, extraction.start(), extraction.requestedEnd());
        try {
            return jdbi.inTransaction(handle -> loadInTransaction(handle, cloud, range, options, runId));
        } catch (SQLException | JdbiException e) {
            throw OsMetricsException.database("loading " + extraction.start() + ".." + extraction.requestedEnd() + " ("
                    + extraction.scope() + ") failed and was rolled back: " + rootMessage(e), e);
        }
    }

    private static LoadResult loadInTransaction(Handle handle, Cloud cloud, TransformedRange range, LoadOptions options,
            long runId) throws SQLException {
        UsageExtraction extraction = range.extraction();
        // each statement binds the shared parameters it names; the others are ignored
        handle.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        Params params = new Params(cloud.cloudId(), runId, extraction, options.restate());
        Map<FlavorKey, Integer> flavors = upsertFlavors(handle, cloud.cloudId(), range.servers());
        handle.execute(SQL.locate(UsageLoader.class, "createStaging"));
        copyServers(handle, range.servers(), flavors);
        handle.execute("ANALYZE stage_server");
        params.update(handle, "upsertProjects").execute();
        params.update(handle, "upsertServers").execute();
        params.update(handle, "insertFlavorHistory").execute();
        long restatements = 0;
        long rows;
        boolean newRange = params.query(handle, "isNewRange").mapTo(Boolean.class).one();
        if (newRange) {
            rows = copyFacts(handle, COPY_NEW_FACTS, range.facts(), flavors, cloud.cloudId(), runId);
        } else {
            handle.execute(SQL.locate(UsageLoader.class, "createFactStaging"));
            copyFacts(handle, COPY_FACTS, range.facts(), flavors, null, null);
            handle.execute("ANALYZE stage_fact");
            restatements = params.update(handle, "recordRestatements").execute();
            params.update(handle, "deleteReplacedFacts").execute();
            rows = params.update(handle, "upsertFacts").execute();
        }
        params.update(handle, "upsertExtractedRange")
                .bind("scope", extraction.scope().key())
                .bind("provisional", extraction.provisional())
                .bind("microversion", extraction.microversion())
                .bind("truncationSuspected", extraction.truncationSuspected())
                .bind("serverCount", extraction.serverCount())
                .bind("extractedAt", extraction.extractedAt() == null ? extraction.stop() : extraction.extractedAt())
                .execute();
        insertNovaTotals(handle, params, range.reconciliations());
        insertAnomalies(handle, params, range.anomalies());
        insertRawPages(handle, params, extraction.scope().key(), extraction.rawPages());
        handle.createUpdate(SQL.locate(UsageLoader.class, "countRun"))
                .bind("windows", range.windowStarts().size())
                .bind("servers", range.servers().size())
                .bind("rows", rows)
                .bind("run", runId)
                .execute();
        return new LoadResult(extraction.start(), extraction.requestedEnd(), extraction.provisional(),
                range.windowStarts().size(), range.servers().size(), rows, restatements, range.anomalies().size(),
                range.reconciled());
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

    private static void copyServers(Handle handle, List<ServerUsage> servers, Map<FlavorKey, Integer> flavors)
            throws SQLException {
        try (CopyWriter copy = CopyWriter.start(handle.getConnection(), COPY_SERVERS)) {
            for (ServerUsage server : servers) {
                copy.text(UUID.fromString(server.instanceId()).toString()).text(server.tenantId()).text(server.name())
                        .number(flavors.get(FlavorKey.of(server))).time(server.startedAt()).time(server.endedAt())
                        .text(server.state()).number(server.uptime())
                        .endRow();
            }
            copy.finish();
        }
    }

    /**
     * COPYs the facts in binary form: into the fact table with the cloud and run columns ({@code cloudId} and
     * {@code runId} not null), or into the staging table without them (both null).
     */
    private static long copyFacts(Handle handle, String copySql, List<WindowFact> facts, Map<FlavorKey, Integer> flavors,
            Integer cloudId, Long runId) throws SQLException {
        // Few distinct texts and flavors, each server's facts together: each is encoded or looked up once.
        Map<String, byte[]> texts = new HashMap<>();
        WindowFact previous = null;
        int flavorId = 0;
        try (BinaryCopyWriter copy = BinaryCopyWriter.start(handle.getConnection(), copySql, cloudId == null ? 14 : 16)) {
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

    private static void insertNovaTotals(Handle handle, Params params, List<Reconciliation> reconciliations) {
        for (Reconciliation r : reconciliations) {
            params.update(handle, "upsertNovaTotals")
                    .bind("project", r.projectId())
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
                    .bind("provisional", params.extraction.provisional())
                    .execute();
        }
    }

    private static void insertAnomalies(Handle handle, Params params, List<Anomaly> anomalies) {
        for (Anomaly anomaly : anomalies) {
            params.update(handle, "insertAnomaly")
                    .bind("project", anomaly.projectId())
                    .bind("instance", anomaly.instanceId())
                    .bind("kind", anomaly.kind().code())
                    .bind("detail", anomaly.detail())
                    .execute();
        }
    }

    private static void insertRawPages(Handle handle, Params params, String scope, List<RawPage> pages) {
        for (RawPage page : pages) {
            params.update(handle, "insertRawPage")
                    .bind("scope", scope)
                    .bind("page", page.index())
                    .bind("url", page.url())
                    .bind("status", page.status())
                    .bind("microversion", page.microversion())
                    .bind("body", page.body())
                    .execute();
        }
    }

    /** The parameters every statement of one load shares; each statement binds the ones it names. */
    private record Params(int cloudId, long runId, UsageExtraction extraction, boolean restate) {
        Update update(Handle handle, String statement) {
            return bindAll(handle.createUpdate(SQL.locate(UsageLoader.class, statement)));
        }

        Query query(Handle handle, String statement) {
            return bindAll(handle.createQuery(SQL.locate(UsageLoader.class, statement)));
        }

        private <T extends SqlStatement<T>> T bindAll(T sql) {
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

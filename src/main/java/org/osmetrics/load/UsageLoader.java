package org.osmetrics.load;

import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.KeystoneProject;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.transform.ServerSpan;
import org.osmetrics.transform.TransformedRange;

/**
 * The load stage: commits everything of one extracted range in one transaction (after a crash a range
 * is either fully there or not there). Servers and facts go through COPY into staging tables, then one
 * set-based statement each; re-loading the same or an overlapping range gives exactly the same rows.
 * The facts are read from each range as they are written, never held all at once (see {@link BatchLoad}).
 * Used by {@code run}, {@code demo}, and by any command that loads extractions. Thread-safe (stateless
 * over Jdbi); concurrent loads of one cloud are prevented by {@link RunLock}.
 */
public final class UsageLoader {
    private final Jdbi jdbi;
    private final int rollupFlushGroups;

    public UsageLoader(Jdbi jdbi) {
        this(jdbi, BatchLoad.ROLLUP_FLUSH_GROUPS);
    }

    /** A loader that sends the fresh facts' rollup counts (server days) once this many are counted (tests: 1). */
    UsageLoader(Jdbi jdbi, int rollupFlushGroups) {
        this.jdbi = jdbi;
        this.rollupFlushGroups = rollupFlushGroups;
    }

    /** Loads one transformed range in one transaction: a batch of one. */
    public LoadResult load(Cloud cloud, TransformedRange range, LoadOptions options, long runId) {
        return loadBatch(cloud, List.of(range), options, runId).get(0);
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
    static boolean ownProjectOnly(TransformedRange range) {
        Scope scope = range.extraction().scope();
        if (scope.isAllProjects()) {
            return false;
        }
        String project = scope.projectId();
        return range.servers().stream().allMatch(server -> project.equals(server.tenantId()))
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
        Partitions.ensure(jdbi, factMonths(ranges));
        try {
            return jdbi.inTransaction(handle -> new BatchLoad(handle, cloud, runId, options, ranges, rollupFlushGroups).run());
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
    public static boolean refusedData(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The months the ranges' facts fall in, from the servers' spans (a span's windows are contiguous, and a
     * window never longer than a day): a month that receives no fact gets no partition.
     */
    static Set<YearMonth> factMonths(List<TransformedRange> ranges) {
        Set<YearMonth> months = new TreeSet<>();
        for (TransformedRange range : ranges) {
            for (ServerSpan span : range.spans()) {
                YearMonth first = YearMonth.from(range.grid().floor(span.from()).atOffset(ZoneOffset.UTC));
                YearMonth last = YearMonth.from(range.grid().floor(span.to().minusNanos(1)).atOffset(ZoneOffset.UTC));
                for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                    months.add(month);
                }
            }
        }
        return months;
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
            PreparedBatch batch = handle.prepareBatch(BatchLoad.SQL.locate(UsageLoader.class, "recordProjects"));
            projects.forEach(p -> batch.bind("cloud", cloud.cloudId()).bind("project", p.id()).bind("name", p.name())
                    .bind("domainId", p.domainId()).bind("domainName", p.domainName()).add());
            batch.execute();
        });
    }
}

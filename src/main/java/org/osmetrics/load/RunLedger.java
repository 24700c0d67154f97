package org.osmetrics.load;

import java.time.Clock;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * The ledger of runs ({@code metrics.run}): a row is committed as {@code running} when a command starts
 * and closed when it ends, each in its own transaction, so a crash leaves a visible {@code running} row
 * (until the next run of the cloud closes it as failed, see {@link #start}) and a failure a {@code failed}
 * one with its error. The loader adds its counters inside its own
 * transaction. Thread-safe (stateless over Jdbi).
 */
public final class RunLedger {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();


    /** How a run ended. */
    public enum Status {
        SUCCEEDED("succeeded"), FAILED("failed"), RECONCILIATION_FAILED("reconciliation_failed");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public RunLedger(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The error of a run whose process ended without closing its ledger row (SIGKILL, power loss, OOM kill). */
    static final String INTERRUPTED = "interrupted: the process ended without finishing";

    /**
     * Records the start of a run and returns its id. With a cloud, call it only while holding the cloud's
     * {@link RunLock}: rows of that cloud still {@code running} then belong to processes that ended without
     * closing them (the lock proves they are gone), so they are closed as {@code failed} in the same
     * transaction, with the error {@value #INTERRUPTED}.
     *
     * @param arguments the command line without secrets
     * @param cloudId   the cloud, or null for a command that is not about one cloud
     * @param scope     the scope key (project id or {@code *}), or null
     */
    public long start(String command, String arguments, Integer cloudId, String scope) {
        return jdbi.inTransaction(handle -> {
            if (cloudId != null) {
                handle.createUpdate(SQL.locate(RunLedger.class, "failRunning"))
                        .bind("error", INTERRUPTED)
                        .bind("cloud", cloudId)
                        .execute();
            }
            return handle.createUpdate(SQL.locate(RunLedger.class, "insert"))
                    .bind("command", command)
                    .bind("arguments", arguments)
                    .bind("cloud", cloudId)
                    .bind("scope", scope)
                    .bind("now", clock.instant())
                    .executeAndReturnGeneratedKeys("run_id")
                    .mapTo(Long.class)
                    .one();
        });
    }

    /** Widens the run's recorded range to cover {@code [start, end)}. */
    public void coverRange(long runId, Instant start, Instant end) {
        jdbi.useTransaction(handle -> handle.createUpdate(SQL.locate(RunLedger.class, "coverRange"))
                .bind("start", start)
                .bind("end", end)
                .bind("run", runId)
                .execute());
    }

    /** Sets the number of distinct servers the run saw (the loader counts per range). */
    public void recordServers(long runId, int servers) {
        jdbi.useTransaction(handle -> handle.createUpdate(SQL.locate(RunLedger.class, "recordServers"))
                .bind("servers", servers)
                .bind("run", runId)
                .execute());
    }

    /** Closes the run; {@code error} is one line (null on success). */
    public void finish(long runId, Status status, String error) {
        jdbi.useTransaction(handle -> handle.createUpdate(SQL.locate(RunLedger.class, "finish"))
                .bind("status", status.code())
                .bind("now", clock.instant())
                .bind("error", error)
                .bind("run", runId)
                .execute());
    }
}

package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Database faults in the middle of {@code os-metrics run}: the loader's session killed, a statement timeout, a
 * lock wait that gives up. Each run fails cleanly (exit 5, the ledger says failed) and the next run completes
 * the same windows with no duplicate. Also: two runs of one cloud at once, of which exactly one loads.
 */
class DatabaseFaultTest {
    private static final String[] RUN = {"run", "--all-projects", "--window", "1d", "--initial-lookback", "3d"};

    private static SimServer sim;
    @RegisterExtension
    static final TestDatabaseExtension reference = TestDatabaseExtension.migrated();
    private static Instant cutoff;

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        cutoff = now.truncatedTo(ChronoUnit.DAYS);
        sim = SimServer.start(SimCloud.generate(61, 2, 30, now.minus(Duration.ofDays(5)), now.minus(Duration.ofHours(1))),
                Clock.systemUTC());
        assertThat(run(FaultEnvironment.of(sim, reference.test()))[0]).isEqualTo("0");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** Exit code and stderr of one in-process run. */
    private static String[] run(Map<String, String> env) {
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(new StringWriter()), new PrintWriter(err), RUN);
        assertThat(err.toString()).as("no stack trace").doesNotContain("\tat ");
        return new String[] {Integer.toString(code), err.toString()};
    }

    /** Blocks every write to metrics.extracted_range (reads go on) until closed: the load stops mid-transaction. */
    private static Connection holdRangeTable(TestDatabase db) throws SQLException {
        Connection holder = DriverManager.getConnection(db.jdbcUrl());
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute("LOCK TABLE metrics.extracted_range IN EXCLUSIVE MODE");
        }
        return holder;
    }

    private static void assertNextRunCompletesWithoutDuplicates(TestDatabase db) {
        assertThat(run(FaultEnvironment.of(sim, db))[0]).isEqualTo("0");
        assertThat(Rows.closedFacts(db.jdbi(), cutoff)).isNotEmpty()
                .containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), cutoff));
        assertThat(Rows.closedRanges(db.jdbi(), cutoff)).hasSize(3)
                .containsExactlyElementsOf(Rows.closedRanges(reference.jdbi(), cutoff));
    }

    @Test
    void theLoadersSessionKilledMidLoadIsExitFiveAFailedLedgerAndTheNextRunCompletes() throws Exception {
        try (TestDatabase db = TestDatabases.fresh()) {
            CompletableFuture<String[]> running;
            try (Connection holder = holdRangeTable(db); Statement admin = holder.createStatement()) {
                running = CompletableFuture.supplyAsync(() -> run(FaultEnvironment.of(sim, db)));
                long waiting = 0;
                for (int i = 0; i < 3000 && waiting == 0; i++) {
                    Thread.sleep(10);
                    waiting = Rows.count(db.jdbi(), "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND application_name = 'os-metrics' AND wait_event_type = 'Lock'");
                }
                assertThat(waiting).as("the load is waiting on the held table").isOne();
                // what a server restart does to the session: it is terminated in the middle of its transaction
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'os-metrics' AND wait_event_type = 'Lock'");
                holder.rollback();
            }
            String[] result = running.get();

            assertThat(result[0]).as(result[1]).isEqualTo("5");
            assertThat(result[1]).contains("failed and was rolled back").contains("terminat");
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.extracted_range")).isZero();
            assertThat(Rows.ledgerStatuses(db.jdbi()).keySet()).singleElement().asString().startsWith("failed: ");
            assertNextRunCompletesWithoutDuplicates(db);
        }
    }

    @Test
    void aStatementTimeoutOrALockTimeoutIsExitFiveAFailedLedgerAndTheNextRunCompletes() throws Exception {
        for (String setting : List.of("statement_timeout", "lock_timeout")) {
            try (TestDatabase db = TestDatabases.fresh()) {
                Map<String, String> env = FaultEnvironment.of(sim, db);
                env.put("OS_METRICS_DB_URL", db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20" + setting + "%3D300");
                String[] result;
                try (Connection holder = holdRangeTable(db)) {
                    result = run(env);
                    holder.rollback();
                }

                assertThat(result[0]).as(result[1]).isEqualTo("5");
                assertThat(result[1]).contains("failed and was rolled back")
                        .contains("canceling statement due to " + setting.replace('_', ' '));
                assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.usage_fact")).isZero();
                assertThat(Rows.ledgerStatuses(db.jdbi()).keySet()).singleElement().asString().startsWith("failed: ");
                assertNextRunCompletesWithoutDuplicates(db);
            }
        }
    }

    @Test
    void twoConcurrentRunsOfOneCloudLoadExactlyOnce() throws Exception {
        try (TestDatabase db = TestDatabases.fresh()) {
            sim.faults().clear();
            sim.faults().delayNext(Duration.ofSeconds(3)); // the lock holder's first call: the runs overlap
            List<CompletableFuture<String[]>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> run(FaultEnvironment.of(sim, db))));
            }
            List<String> codes = new ArrayList<>();
            for (CompletableFuture<String[]> run : runs) {
                codes.add(run.get()[0]);
            }

            assertThat(codes).containsExactlyInAnyOrder("0", "6");
            assertThat(Rows.ledgerStatuses(db.jdbi())).containsExactly(Map.entry("succeeded", 1L));
            assertThat(Rows.closedFacts(db.jdbi(), cutoff)).containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), cutoff));
        }
    }
}

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.Logins;
import org.osmetrics.testing.Logins.Login;
import org.osmetrics.testing.SimEnvironment;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.pipeline.Backfill;

/**
 * The pipeline's two locks (the per-cloud run lock and the lock that serialises partition creation) against a
 * real login of the finance reader role: it can neither take nor block them (issue #19), while a second run
 * still exits 6 at once and a killed run's lock is released by PostgreSQL.
 */
class PipelineLocksTest {
    private static final Instant FROM = Instant.parse("2026-09-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T12:34:56Z");
    private static final String PERMISSION_DENIED = "42501";
    /** The keys every earlier release locked: any role could compute and hold them. */
    private static final String OLD_RUN_KEY = "SELECT pg_advisory_lock(x'6f736d65'::int, hashtext('%s'))";
    private static final String OLD_PARTITION_KEY = "SELECT pg_advisory_lock(x'6f736d70'::bigint)";

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Login reader;

    @BeforeAll
    static void database() {
        reader = Logins.create(test.test(), "reader", "GRANT os_metrics_reader TO %s");
    }

    @AfterAll
    static void dropDatabase() {
        reader.close();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs {@code sql} in a transaction of its own (LOCK TABLE needs one) and expects it refused. */
    private static void assertDenied(Connection connection, String sql) throws SQLException {
        connection.setAutoCommit(false);
        try {
            assertThatThrownBy(() -> execute(connection, sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(PERMISSION_DENIED));
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    private static RunLock acquire(String cloud) {
        return RunLock.acquire(test.database().dataSource(), cloud);
    }

    private static ExitCode exitOf(Runnable action) {
        try {
            action.run();
            return ExitCode.OK;
        } catch (OsMetricsException e) {
            return e.exitCode();
        }
    }

    @Test
    void aSecondRunOfTheCloudExitsLockedAtOnceAndTheNextOneAfterTheFirstEndsRuns() {
        try (RunLock held = acquire("cloud-a")) {
            assertThatThrownBy(() -> acquire("cloud-a")).isInstanceOfSatisfying(OsMetricsException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                assertThat(e.getMessage()).contains("another os-metrics run holds the lock for cloud cloud-a");
            });
            try (RunLock other = acquire("cloud-b")) {
                assertThat(other).as("another cloud's lock").isNotNull();
            }
        }
        try (RunLock again = acquire("cloud-a")) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aKilledRunsLockIsReleasedByPostgresql() {
        RunLock killed = acquire("cloud-killed");
        assertThat(exitOf(() -> acquire("cloud-killed").close())).isEqualTo(ExitCode.LOCKED);
        // the process dies: its lock session ends without releasing anything
        test.jdbi().useHandle(h -> h.execute("SELECT pg_terminate_backend(holder_pid) FROM metrics.run_lock"
                + " WHERE cloud_key = 'cloud-killed'"));
        Instant deadline = Instant.now().plusSeconds(10);
        ExitCode next;
        do {
            // the backend exits a moment after the signal
            next = exitOf(() -> acquire("cloud-killed").close());
        } while (next == ExitCode.LOCKED && Instant.now().isBefore(deadline));
        assertThat(next).isEqualTo(ExitCode.OK);
        killed.close();
    }

    @Test
    void aReaderCanNeitherTakeNorBlockTheRunLock() throws SQLException {
        try (Connection finance = reader.connect()) {
            // what blocked every run before: the old key, computed from the cloud key
            execute(finance, String.format(OLD_RUN_KEY, "cloud-r"));
            assertDenied(finance, "LOCK TABLE metrics.run_lock IN ACCESS EXCLUSIVE MODE");
            assertDenied(finance, "SELECT * FROM metrics.run_lock FOR UPDATE");
            assertDenied(finance, "UPDATE metrics.run_lock SET holder_pid = pg_backend_pid()");
            assertDenied(finance, "SELECT metrics.run_lock_alive(1, 1)");
            long key;
            try (RunLock first = acquire("cloud-r")) {
                // the run's key is public in pg_locks: the reader copies it, takes it when the run ends and keeps it
                try (Statement statement = finance.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
                             + " AND classid = x'6f736d65'::int::oid AND pid <> pg_backend_pid() AND granted")) {
                    assertThat(rows.next()).as("the run's key in pg_locks").isTrue();
                    key = rows.getLong(1);
                }
            }
            execute(finance, "SELECT pg_advisory_lock(x'6f736d65'::int, " + key + "::int)");
            try (RunLock next = acquire("cloud-r")) {
                assertThat(next).as("the next run, while the reader holds every key it saw").isNotNull();
            }
        }
    }

    @Test
    void aReaderCannotBlockPartitionCreationAndALongReaderTransactionMakesItFailClearlyNotWaitForever() throws SQLException {
        Instant november = Instant.parse("2027-11-01T00:00:00Z");
        Instant december = Instant.parse("2027-12-01T00:00:00Z");
        try (Connection finance = reader.connect()) {
            execute(finance, OLD_PARTITION_KEY);
            assertDenied(finance, "LOCK TABLE metrics.usage_fact IN ACCESS SHARE MODE");
            assertDenied(finance, "SELECT metrics.create_usage_fact_partition('2027-10-01')");
            Partitions.ensureMonths(test.jdbi(), november, november.plusSeconds(1), Duration.ofSeconds(5));
            assertThat(partitionExists("usage_fact_y2027m11")).as("created while the reader holds the old key").isTrue();

            // a reader's transaction over the report views holds the fact table's ACCESS SHARE lock until it ends
            finance.setAutoCommit(false);
            execute(finance, "SELECT count(*) FROM report.server_usage");
            Instant started = Instant.now();
            assertThatThrownBy(() -> Partitions.ensureMonths(test.jdbi(), december, december.plusSeconds(1), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.DATABASE);
                        assertThat(e.getMessage()).contains("cannot create partition metrics.usage_fact_y2027m12")
                                .contains("for more than 1 s").contains("(role " + reader.name() + ")");
                    });
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(20));
            finance.commit();
            Partitions.ensureMonths(test.jdbi(), december, december.plusSeconds(1), Duration.ofSeconds(5));
            assertThat(partitionExists("usage_fact_y2027m12")).isTrue();
        }
    }

    @Test
    void aBackfillRunsWhileAReaderHoldsEveryKeyTheOldLocksUsed() throws SQLException {
        SimClock clock = new SimClock(NOW);
        try (SimServer sim = SimServer.start(SimCloud.generate(31, 2, 10, FROM.minus(Duration.ofDays(3)), NOW), clock);
             Connection finance = reader.connect()) {
            String cloud;
            try (var source = SimEnvironment.connect(sim, clock)) {
                cloud = source.cloudKey();
            }
            execute(finance, String.format(OLD_RUN_KEY, cloud));
            execute(finance, OLD_PARTITION_KEY);

            Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(), FROM, FROM.plus(Duration.ofDays(2)),
                    null, Duration.ofDays(1), 1, false, false, false);
            Backfill.Summary summary = new Backfill(test.database(), clock).run(() -> SimEnvironment.connect(sim, clock),
                    request, new Backfill.Listener() { });

            assertThat(summary).isNotNull();
            long facts = test.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.usage_fact f"
                    + " JOIN metrics.cloud c USING (cloud_id) WHERE c.cloud_key = :cloud").bind("cloud", cloud)
                    .mapTo(Long.class).one());
            assertThat(facts).isPositive();
        }
    }

    private static boolean partitionExists(String table) {
        return test.jdbi().withHandle(h -> h.createQuery("SELECT to_regclass(:name) IS NOT NULL")
                .bind("name", "metrics." + table).mapTo(Boolean.class).one());
    }
}

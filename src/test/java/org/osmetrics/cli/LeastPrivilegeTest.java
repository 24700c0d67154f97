package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.Logins;
import org.osmetrics.testing.Logins.Login;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * The roles of README "Access" as real logins: the loader runs the pipeline without owning anything, the reader
 * reads the report views and can create nothing, not even a temporary table, and a role that cannot migrate
 * stops with exit 5 when migrations are pending.
 */
class LeastPrivilegeTest {
    private static final String PERMISSION_DENIED = "42501";
    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static SimServer sim;
    private static Login loader;
    private static Login reader;

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(41, 3, 20, now.minus(Duration.ofDays(5)), now.plus(Duration.ofDays(1))),
                Clock.systemUTC());
        loader = Logins.create(test.test(), "loader", "GRANT os_metrics_loader TO %s");
        reader = Logins.create(test.test(), "reader", "GRANT os_metrics_reader TO %s");
    }

    @AfterAll
    static void stop() {
        sim.close();
        loader.close();
        reader.close();
    }

    private static CommandRun as(Login login, String... args) {
        Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", login.jdbcUrl());
        return CommandRun.of(env, args);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void assertDenied(Connection connection, String sql) {
        assertThatThrownBy(() -> execute(connection, sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(PERMISSION_DENIED));
    }

    @Test
    void theLoaderRunsThePipelineImportsRatesAndExportsWithoutOwningAnything() {
        boolean superuser = test.jdbi().withHandle(h -> h.createQuery("SELECT rolsuper FROM pg_roles WHERE rolname = :r")
                .bind("r", loader.name()).mapTo(Boolean.class).one());
        assertThat(superuser).isFalse();

        // a month not partitioned yet, loaded through TEMP staging tables
        CommandRun run = as(loader, "run", "--all-projects", "--initial-lookback", "30h");
        assertThat(run.exitCode()).as(run.err()).isZero();
        CommandRun rates = as(loader, "rates", "import", Path.of("examples/rates.csv").toString());
        assertThat(rates.exitCode()).as(rates.err()).isZero();
        double analysed = test.jdbi().withHandle(h -> h.createQuery(
                "SELECT reltuples FROM pg_class WHERE oid = 'metrics.rate_card'::regclass").mapTo(Double.class).one());
        assertThat(analysed).as("the rate card analysed for the loader").isPositive();
        CommandRun status = as(loader, "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        CommandRun export = as(loader, "export", "--report", "project_usage_daily", "--quiet");
        assertThat(export.exitCode()).as(export.err()).isZero();
    }

    @Test
    void anOwnerThatIsNoSuperuserMigratesAndRunsThePipelineUnderItsOwnForcedRowLevelSecurity() {
        try (TestDatabase owned = TestDatabases.freshMigratedByOwner()) {
            // the owner's login (its database is dropped with it; closing the Login would drop what it owns first)
            Login owner = new Login(TestDatabases.ownerName(owned.name()), owned);
            CommandRun run = as(owner, "run", "--all-projects", "--initial-lookback", "30h");
            assertThat(run.exitCode()).as(run.err()).isZero();
            long facts = owned.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.usage_fact").mapTo(Long.class).one());
            CommandRun export = as(owner, "export", "--report", "server_usage", "--quiet");
            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(export.out().lines().count() - 1).as("every fact, seen through the owner's views").isEqualTo(facts);
        }
    }

    @Test
    void theReaderExportsFromTheCommandLine() {
        CommandRun export = as(reader, "export", "--report", "coverage", "--quiet");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("cloud,");
    }

    @Test
    void theLoaderCanNeitherChangeTheSchemaNorTheMigrationHistory() throws SQLException {
        try (Connection connection = loader.connect()) {
            execute(connection, "CREATE TEMP TABLE staging_check (x int)");
            assertDenied(connection, "CREATE TABLE metrics.mine (x int)");
            assertDenied(connection, "CREATE TABLE report.mine (x int)");
            assertDenied(connection, "CREATE TABLE public.mine (x int)");
            assertDenied(connection, "DROP TABLE metrics.rate_card");
            assertDenied(connection, "ALTER TABLE metrics.run ADD COLUMN x int");
            assertDenied(connection, "DELETE FROM metrics.flyway_schema_history");
            assertDenied(connection, "CREATE TABLE metrics.usage_fact_y2030m01 PARTITION OF metrics.usage_fact"
                    + " FOR VALUES FROM ('2030-01-01 00:00:00+00') TO ('2030-02-01 00:00:00+00')");
        }
    }

    @Test
    void theReaderCanCreateNothingNotEvenATemporaryTable() throws SQLException {
        try (Connection connection = reader.connect()) {
            assertDenied(connection, "CREATE TEMP TABLE mine (x int)");
            assertDenied(connection, "CREATE TABLE report.mine (x int)");
            assertDenied(connection, "CREATE TABLE public.mine (x int)");
            assertDenied(connection, "CREATE TABLE metrics.mine (x int)");
            assertDenied(connection, "CREATE SCHEMA mine");
            assertDenied(connection, "SELECT * FROM metrics.flyway_schema_history");
        }
    }

    @Test
    void aRoleThatCannotMigrateExitsFiveWhenMigrationsArePending() {
        try (TestDatabase old = TestDatabases.freshAtVersion("83");
             Login oldLoader = Logins.create(old, "loader", "GRANT os_metrics_loader TO %s")) {
            CommandRun status = as(oldLoader, "status");

            assertThat(status.exitCode()).as(status.err()).isEqualTo(5);
            assertThat(status.errLines()).singleElement().asString()
                    .contains("cannot tell whether the database")
                    .contains("role " + oldLoader.name() + " may neither read its migration history nor migrate")
                    .contains("os-metrics db migrate");
            CommandRun migrate = as(oldLoader, "db", "migrate");
            assertThat(migrate.exitCode()).isEqualTo(5);
        }
        // a database whose history the loader may read (V85 and later): it names what is pending
        try (TestDatabase older = TestDatabases.freshAtVersion("85");
             Login olderLoader = Logins.create(older, "loader", "GRANT os_metrics_loader TO %s")) {
            CommandRun status = as(olderLoader, "status");

            assertThat(status.exitCode()).as(status.err()).isEqualTo(5);
            assertThat(status.errLines()).singleElement().asString()
                    .containsPattern("\\d+ pending migrations? \\(first: V86 ")
                    .contains("but role " + olderLoader.name() + " cannot apply them");
            long applied = older.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM metrics.flyway_schema_history WHERE version = '86'").mapTo(Long.class).one());
            assertThat(applied).isZero();
        }
    }
}

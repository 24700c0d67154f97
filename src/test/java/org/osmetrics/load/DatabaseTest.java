package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

class DatabaseTest {

    @Test
    void migrationsApplyToAnEmptyDatabaseAndAreRerunnable() {
        try (TestDatabase test = TestDatabases.freshUnmigrated()) {
            int first = test.database().migrate();
            int second = test.database().migrate();
            assertThat(first).isPositive();
            assertThat(second).isZero();
            List<Migration> migrations = test.database().migrations();
            assertThat(migrations).allSatisfy(migration -> assertThat(migration.applied()).isTrue());
            Integer tables = test.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'metrics' AND table_name = 'usage_fact'")
                    .mapTo(Integer.class).one());
            assertThat(tables).isEqualTo(1);
        }
    }

    @Test
    void upgradeWithoutTheFactProjectIndexRecordsTheProjectServerPairsOfTheFactsLoadedBefore() {
        try (TestDatabase test = TestDatabases.freshAtVersion("70")) {
            test.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('old', 86400);
                    CREATE TABLE metrics.usage_fact_old PARTITION OF metrics.usage_fact
                        FOR VALUES FROM ('2026-10-01Z') TO ('2026-11-01Z');
                    INSERT INTO metrics.usage_fact
                    SELECT 1, d, d + interval '1 day', s.id::uuid, s.project, 1, 1, 512, 1, 24, 24, 12288, 24, 'active',
                           false, 1
                    FROM (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),
                                 ('00000000-0000-0000-0000-000000000002', 'p-b')) s(id, project),
                         generate_series(timestamptz '2026-10-01Z', '2026-10-03Z', interval '1 day') d;
                    """));

            test.database().migrate();

            List<String> pairs = test.jdbi().withHandle(h -> h.createQuery(
                    "SELECT project_id || ' ' || instance_id FROM metrics.project_server ORDER BY 1").mapTo(String.class).list());
            assertThat(pairs).containsExactly("p-a 00000000-0000-0000-0000-000000000001",
                    "p-b 00000000-0000-0000-0000-000000000002");
            // the btree on the project that V80 dropped stays gone; V110's BRIN index of the project is the only other
            List<String> indexes = test.jdbi().withHandle(h -> h.createQuery("""
                    SELECT i.relname || ' ' || am.amname FROM pg_index x
                    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
                    WHERE x.indrelid = 'metrics.usage_fact'::regclass ORDER BY 1""").mapTo(String.class).list());
            assertThat(indexes).containsExactly("usage_fact_pkey btree", "usage_fact_project_brin brin");
        }
    }

    @Test
    void embeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dataDir) {
        DatabaseSettings settings = new DatabaseSettings(null, null, null, dataDir);
        try (Database first = Database.open(settings)) {
            first.migrate();
            first.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('kept', 3600)"));
            assertThat(first.isEmbedded()).isTrue();
        }
        try (Database second = Database.open(settings)) {
            assertThat(second.migrate()).isZero();
            String key = second.jdbi().withHandle(h -> h.createQuery("SELECT cloud_key FROM metrics.cloud").mapTo(String.class).one());
            assertThat(key).isEqualTo("kept");
        }
    }

    @Test
    void embeddedDatabaseStartsOverAPostmasterPidWhosePidAnotherProgramNowHas(@TempDir Path dataDir) throws Exception {
        DatabaseSettings settings = new DatabaseSettings(null, null, null, dataDir);
        try (Database first = Database.open(settings)) {
            first.migrate();
        }
        // as after a power loss and a reboot: the file stayed, and its pid went to another program (not this
        // JVM, which PostgreSQL knows as its starter's parent and would ignore)
        Path pidFile = dataDir.resolve("pg").resolve("postmaster.pid");
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(pidFile, other.pid() + "\n" + dataDir.resolve("pg") + "\n1700000000\n5432\n"
                    + "/tmp\n127.0.0.1\n  5432001   1\nready   \n");
            try (Database second = Database.open(settings)) {
                assertThat(second.migrate()).isZero();
            }
        } finally {
            other.destroyForcibly();
        }
        assertThat(pidFile).as("the server stopped when the last user left").doesNotExist();
    }

    @Test
    void embeddedDatabaseListensOnLoopbackOnly(@TempDir Path dataDir) {
        try (Database db = Database.open(new DatabaseSettings(null, null, null, dataDir))) {
            String listen = db.jdbi().withHandle(h -> h.createQuery("SHOW listen_addresses").mapTo(String.class).one());
            assertThat(listen).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void unreachableServerIsADatabaseErrorWithoutThePassword() {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2&password=hunter2", null, null, null);
        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(OsMetricsException.class)
                .satisfies(e -> assertThat(((OsMetricsException) e).exitCode()).isEqualTo(ExitCode.DATABASE))
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("cannot connect");
    }
}

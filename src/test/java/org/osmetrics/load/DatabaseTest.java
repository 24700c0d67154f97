package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.OsMetricsException;
import org.osmetrics.cli.ExitCode;
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
            List<MigrationInfo> infos = test.database().migrationInfo();
            assertThat(infos).allSatisfy(info -> assertThat(info.getState().isApplied()).isTrue());
            Integer tables = test.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'metrics' AND table_name = 'usage_fact'")
                    .mapTo(Integer.class).one());
            assertThat(tables).isEqualTo(1);
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

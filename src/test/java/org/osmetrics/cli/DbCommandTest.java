package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

class DbCommandTest {

    @Test
    void dbInfoTellsFlywaysSchemaCreationFromTheRepeatableReportViews() {
        try (TestDatabase test = TestDatabases.freshUnmigrated()) {
            Map<String, String> env = Map.of("OS_METRICS_DB_URL", test.jdbcUrl());
            CommandRun migrate = CommandRun.of(env, "db", "migrate");
            assertThat(migrate.exitCode()).as(migrate.err()).isZero();
            assertThat(migrate.out()).matches("db migrate: \\d+ migrations applied to .*\\n");

            CommandRun info = CommandRun.of(env, "db", "info");

            assertThat(info.exitCode()).as(info.err()).isZero();
            assertThat(info.out().lines()).filteredOn(l -> l.startsWith("R "))
                    .isNotEmpty().noneMatch(l -> l.contains("Flyway"));
            assertThat(info.out().lines()).filteredOn(l -> l.contains("Schema Creation"))
                    .allMatch(l -> l.startsWith("- "));
            assertThat(info.out()).contains("R: a repeatable migration");
        }
    }
}

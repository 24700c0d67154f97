package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/** The backfill and status commands as an operator and monitoring call them. */
class StatusCommandTest {

    @TempDir
    Path folder;

    private static CommandRun execute(Map<String, String> env, String... args) {
        return CommandRun.of(env, args);
    }

    @Test
    void statusAfterABackfillListsItAndFailsIfStaleOnlyForACommandThatNeverRan() throws IOException {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (TestDatabase test = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(8, 2, 25, today.minus(Duration.ofDays(6)), today),
                     Clock.systemUTC())) {
            Map<String, String> env = new java.util.HashMap<>(SimulatorLogins.admin(sim));
            env.put("OS_METRICS_DB_URL", test.jdbcUrl());
            CommandRun backfill = execute(env, "backfill", "--from", today.minus(Duration.ofDays(4)).toString(), "--to",
                    today.minus(Duration.ofDays(1)).toString(), "--all-projects");
            Path metrics = folder.resolve("textfile").resolve("os_metrics.prom");

            CommandRun fresh = execute(env, "status", "--command", "backfill", "--fail-if-stale", "2h", "--metrics-file",
                    metrics.toString());
            CommandRun cron = execute(env, "status", "--fail-if-stale", "2h");

            assertThat(backfill.exitCode()).as(backfill.err()).isZero();
            assertThat(backfill.out()).startsWith("backfill: 3 of 3 chunks loaded (0 already loaded, skipped): 72 windows,");
            assertThat(fresh.exitCode()).as(fresh.err()).isZero();
            assertThat(fresh.out()).contains("Last runs (newest first):").containsPattern("backfill +\\* ")
                    .contains("succeeded").contains("gaps: none").contains("provisional: none")
                    .contains("every loaded range matches Nova's totals");
            assertThat(Files.readString(metrics)).contains("os_metrics_last_run_succeeded{cloud=\"")
                    .contains("os_metrics_coverage_gaps{");
            assertThat(Files.list(metrics.getParent())).as("no temporary file left").hasSize(1);
            assertThat(cron.exitCode()).isEqualTo(4);
            assertThat(cron.err()).contains("was only backfilled, no 'run' is recorded for it");
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(execute(Map.of(), "status", "--fail-if-stale", "soon").exitCode()).isEqualTo(2);
        assertThat(execute(Map.of(), "backfill", "--from", "2026-02-30", "--to", "2026-03-01").exitCode()).isEqualTo(2);
    }
}

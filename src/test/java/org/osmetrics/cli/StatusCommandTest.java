package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.report.Status;
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
                    today.minus(Duration.ofDays(1)).toString(), "--all-projects", "--call-span", "1d");
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

    @Test
    void theRunsTableStaysInLineWhenARangeHasATimePart() {
        Instant at = Instant.parse("2026-11-25T15:18:49Z");
        List<Status.Run> runs = List.of(
                new Status.Run(12, "run", "c", "*", Instant.parse("2026-11-22T06:00:00Z"),
                        Instant.parse("2026-11-25T16:00:00Z"), at.minusSeconds(6), at.minusSeconds(4), "succeeded", 3, 2,
                        583, null, false),
                new Status.Run(3, "backfill", "c", "*", Instant.parse("2026-08-26T00:00:00Z"),
                        Instant.parse("2026-11-24T00:00:00Z"), at.minusSeconds(900), at.minusSeconds(840), "succeeded", 3,
                        2, 1_207_390, null, false));
        StringWriter text = new StringWriter();

        StatusCommand.print(new PrintWriter(text, true), new Status.Snapshot(at, "run", runs, List.of(), List.of(),
                List.of()));

        List<String> table = text.toString().lines().dropWhile(l -> !l.startsWith("Last runs")).skip(1).limit(3).toList();
        assertThat(table.get(1)).contains("2026-11-22T06:00Z..2026-11-25T16:00Z");
        for (String column : List.of("took", "rows")) {
            int end = table.get(0).indexOf(column) + column.length();
            assertThat(table.subList(1, 3)).as(column + " right-aligned under its header:\n" + String.join("\n", table))
                    .allSatisfy(line -> assertThat(line.charAt(end - 1)).isNotEqualTo(' ')
                            .satisfies(c -> assertThat(line.length() == end || line.charAt(end) == ' ').isTrue()));
        }
        int result = table.get(0).indexOf("result");
        assertThat(table.subList(1, 3)).allSatisfy(line -> assertThat(line.substring(result)).startsWith("succeeded"));
    }

    @Test
    void statusJsonIsOneDocumentOfWhatStatusShows() throws IOException {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (TestDatabase test = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(9, 2, 20, today.minus(Duration.ofDays(4)), today),
                     Clock.systemUTC())) {
            Map<String, String> env = new java.util.HashMap<>(SimulatorLogins.admin(sim));
            env.put("OS_METRICS_DB_URL", test.jdbcUrl());
            CommandRun backfill = execute(env, "backfill", "--from", today.minus(Duration.ofDays(3)).toString(), "--to",
                    today.minus(Duration.ofDays(1)).toString(), "--all-projects", "--quiet");
            assertThat(backfill.exitCode()).as(backfill.err()).isZero();

            CommandRun status = execute(env, "status", "--json", "--command", "backfill", "--fail-if-stale", "2h");

            assertThat(status.exitCode()).as(status.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(status.out());
            assertThat(Instant.parse(json.get("at").asText())).isAfter(today);
            assertThat(json.get("command").asText()).isEqualTo("backfill");
            assertThat(json.get("stale_after_seconds").asDouble()).isEqualTo(7200.0);
            JsonNode run = json.get("runs").get(0);
            assertThat(run.get("command").asText()).isEqualTo("backfill");
            assertThat(run.get("scope").asText()).isEqualTo("*");
            assertThat(run.get("result").asText()).isEqualTo("succeeded");
            assertThat(run.get("windows").asInt()).isEqualTo(48);
            assertThat(run.get("rows").asLong()).isPositive();
            assertThat(Instant.parse(run.get("range_start").asText())).isEqualTo(today.minus(Duration.ofDays(3)));
            assertThat(run.get("error").isNull()).isTrue();
            JsonNode coverage = json.get("coverage").get(0);
            assertThat(coverage.get("loaded_windows").asLong()).isEqualTo(48);
            assertThat(coverage.get("gap_windows").asLong()).isZero();
            assertThat(coverage.get("gaps").isArray()).isTrue();
            assertThat(Instant.parse(coverage.get("loaded_until").asText())).isEqualTo(today.minus(Duration.ofDays(1)));
            assertThat(json.get("reconciliation").get(0).get("mismatches").asLong()).isZero();
            JsonNode last = json.get("last_success").get(0);
            assertThat(last.get("stale").asBoolean()).isFalse();
            assertThat(last.get("age_seconds").asDouble()).isBetween(0.0, 600.0);
            assertThat(last.get("latest_status").asText()).isEqualTo("succeeded");
        }
    }
}

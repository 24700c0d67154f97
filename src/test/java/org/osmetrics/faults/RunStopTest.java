package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * SIGTERM and SIGINT to a real {@code os-metrics} process: a run stops at the next safe point, says so, exits
 * 143 (SIGTERM) or 130 (SIGINT) as a shell reports a process ended by them, and the next run completes; a
 * command without safe points ends at once with the same codes.
 */
class RunStopTest {
    private static final String[] RUN = {"run", "--all-projects", "--window", "1d", "--initial-lookback", "4d"};

    @TempDir
    Path logs;

    @Test
    void sigtermStopsBetweenRangesWithExit143AndTheNextRunCompletesTheSameData() {
        Instant now = Instant.now();
        SimCloud cloud = SimCloud.generate(31, 3, 40, now.minus(Duration.ofDays(6)), now.minus(Duration.ofHours(3)));
        Instant cutoff = now.truncatedTo(ChronoUnit.DAYS);
        try (SimServer sim = SimServer.start(cloud, Clock.systemUTC());
             TestDatabase reference = TestDatabases.fresh();
             TestDatabase stopped = TestDatabases.fresh()) {
            assertThat(run(FaultEnvironment.of(sim, reference), RUN)).isZero();
            // the second range's usage call is held for 2 s: the signal comes while it is in flight
            sim.faults().delayNext(Duration.ZERO).delayNext(Duration.ofSeconds(2));

            try (ChildProcess child = ChildProcess.start(FaultEnvironment.of(sim, stopped), logs.resolve("run.log"), RUN)) {
                // range 1 committed and range 2's call taken by the simulator (its delay polled): the run has
                // passed the checkpoint before range 2, so the signal lands while that range is in flight
                assertThat(child.awaitUntil(() -> committedRanges(stopped) == 1 && sim.faults().pending() == 0,
                        Duration.ofSeconds(60))).as(child.output()).isTrue();
                child.terminate();
                int code = child.waitFor(Duration.ofSeconds(60));

                assertThat(code).as(child.output()).isEqualTo(143);
                assertThat(child.output()).contains("os-metrics: stopped by SIGTERM after 2 of 5 ranges")
                        .contains("the next run resumes").doesNotContain("internal error").doesNotContain("Exception");
            }
            assertThat(committedRanges(stopped)).as("the range in flight finished; no later one began").isEqualTo(2);
            assertThat(Rows.ledgerStatuses(stopped.jdbi()).keySet()).singleElement().asString()
                    .startsWith("failed: stopped by SIGTERM after 2 of 5 ranges");

            assertThat(run(FaultEnvironment.of(sim, stopped), RUN)).isZero();
            assertThat(Rows.closedFacts(stopped.jdbi(), cutoff)).isNotEmpty()
                    .containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), cutoff));
            assertThat(Rows.closedRanges(stopped.jdbi(), cutoff)).hasSize(4)
                    .containsExactlyElementsOf(Rows.closedRanges(reference.jdbi(), cutoff));
        }
    }

    @Test
    void sigintStopsARunWithExit130AndKeepsWhatWasLoaded() {
        Instant now = Instant.now();
        SimCloud cloud = SimCloud.generate(32, 2, 20, now.minus(Duration.ofDays(6)), now.minus(Duration.ofHours(3)));
        try (SimServer sim = SimServer.start(cloud, Clock.systemUTC());
             TestDatabase stopped = TestDatabases.fresh()) {
            sim.faults().delayNext(Duration.ZERO).delayNext(Duration.ofSeconds(2));
            try (ChildProcess child = ChildProcess.start(FaultEnvironment.of(sim, stopped), logs.resolve("int.log"), RUN)) {
                assertThat(child.awaitUntil(() -> committedRanges(stopped) == 1 && sim.faults().pending() == 0,
                        Duration.ofSeconds(60))).as(child.output()).isTrue();
                child.interrupt();
                int code = child.waitFor(Duration.ofSeconds(60));

                assertThat(code).as(child.output()).isEqualTo(130);
                assertThat(child.output()).contains("os-metrics: stopped by SIGINT (Ctrl-C) after 2 of 5 ranges")
                        .doesNotContain("internal error");
            }
            assertThat(committedRanges(stopped)).as("what was loaded is kept").isEqualTo(2);
        }
    }

    @Test
    void aCommandWithoutSafePointsEndsAtOnceWith143OnSigtermAnd130OnSigint() {
        for (boolean sigint : new boolean[] {false, true}) {
            try (ChildProcess sim = ChildProcess.start(Map.of(), logs.resolve("sim-" + sigint + ".log"), "sim",
                    "--projects", "1", "--servers", "2", "--days", "1")) {
                assertThat(sim.awaitUntil(() -> sim.output().contains("# serving until Ctrl-C"), Duration.ofSeconds(60)))
                        .as(sim.output()).isTrue();
                if (sigint) {
                    sim.interrupt();
                } else {
                    sim.terminate();
                }
                assertThat(sim.waitFor(Duration.ofSeconds(30))).as(sim.output()).isEqualTo(sigint ? 130 : 143);
            }
        }
    }

    private static long committedRanges(TestDatabase database) {
        return Rows.count(database.jdbi(), "SELECT count(*) FROM metrics.extracted_range");
    }

    private static int run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertThat(err.toString()).as("stderr").doesNotContain("Exception");
        return code;
    }
}

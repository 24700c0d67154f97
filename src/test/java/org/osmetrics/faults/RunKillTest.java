package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * {@code os-metrics run} as a real process, killed with SIGKILL at 20 points chosen by a seeded random
 * generator (print the seed; replay with {@code -Dfaults.seed=N}; more points with {@code -Dfaults.kills=N}),
 * then run once more to completion: its closed windows must equal, row by row, those of one uninterrupted
 * run, and every killed run must be closed in the ledger as failed.
 */
class RunKillTest {
    private static final String[] RUN = {"run", "--all-projects", "--window", "1d", "--initial-lookback", "4d",
        "--page-size", "5", "--retry-for", "5s"};

    @TempDir
    Path logs;

    @Test
    void runKilledAtTwentyRandomPointsThenResumedEqualsOneUninterruptedRun() {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        int kills = Integer.getInteger("faults.kills", 20);
        System.out.println("RunKillTest seed " + seed + " (replay with -Dfaults.seed=" + seed + ")");
        Random random = new Random(seed);
        waitPastMidnightWhenCloserThan(Duration.ofMinutes(3));
        Instant now = Instant.now();
        // every event of the cloud (launches, resizes, deletions) is over before the test starts, so the closed
        // windows cannot change between the reference run and the last resumed one
        SimCloud cloud = SimCloud.generate(seed, 3, 60, now.minus(Duration.ofDays(6)), now.minus(Duration.ofHours(3)));
        Instant cutoff = now.truncatedTo(ChronoUnit.DAYS);
        try (SimServer sim = SimServer.start(cloud, Clock.systemUTC());
             TestDatabase reference = TestDatabases.fresh();
             TestDatabase killed = TestDatabases.fresh()) {
            int before = sim.usageRequests().size();
            try (ChildProcess child = ChildProcess.start(FaultEnvironment.of(sim, reference), logs.resolve("reference.log"), RUN)) {
                assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.output()).isZero();
            }
            int requestsOfAWholeRun = sim.usageRequests().size() - before;

            List<String> points = new ArrayList<>();
            int range = requestsOfAWholeRun;
            int launches = 0;
            while (points.size() < kills && launches < 3 * kills) {
                int launch = ++launches;
                int afterRequests = 1 + random.nextInt(range);
                int delayMillis = random.nextInt(40);
                int base = sim.usageRequests().size();
                try (ChildProcess child = ChildProcess.start(FaultEnvironment.of(sim, killed),
                        logs.resolve("run-" + launch + ".log"), RUN)) {
                    boolean reached = child.awaitUntil(() -> sim.usageRequests().size() - base >= afterRequests,
                            Duration.ofSeconds(60));
                    if (reached) {
                        sleep(delayMillis);
                    }
                    if (child.isAlive()) {
                        child.kill();
                        child.waitFor(Duration.ofSeconds(30));
                        points.add("request " + afterRequests + " + " + delayMillis + " ms");
                    } else {
                        int code = child.waitFor(Duration.ofSeconds(5));
                        assertThat(code).as("a run that was not killed succeeds:\n" + child.output()).isZero();
                        // everything is caught up: from now on a run only reloads the open day
                        range = Math.max(1, sim.usageRequests().size() - base);
                    }
                }
            }
            try (ChildProcess last = ChildProcess.start(FaultEnvironment.of(sim, killed), logs.resolve("last.log"), RUN)) {
                assertThat(last.waitFor(Duration.ofSeconds(60))).as(last.output()).isZero();
            }
            System.out.println("RunKillTest killed at " + points);

            assertThat(points).hasSize(kills);
            assertThat(Rows.closedFacts(killed.jdbi(), cutoff)).as("facts of the closed days")
                    .isNotEmpty().containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), cutoff));
            assertThat(Rows.closedRanges(killed.jdbi(), cutoff)).as("every closed day once, none missing")
                    .hasSize(4).containsExactlyElementsOf(Rows.closedRanges(reference.jdbi(), cutoff));
            // every launch took the lock and wrote its row before its first usage call, where the kills begin
            Map<String, Long> ledger = Rows.ledgerStatuses(killed.jdbi());
            assertThat(ledger.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(launches + 1L);
            assertThat(ledger.keySet()).as("no run is left 'running'")
                    .containsOnly("succeeded", "failed: " + Rows.INTERRUPTED);
            assertThat(ledger.get("failed: " + Rows.INTERRUPTED)).as("a kill after the row was closed counts as a success")
                    .isGreaterThan(kills / 2L);
        }
    }

    /**
     * The runs look back from the wall clock's day: a midnight between the reference run and the last one would
     * shift the days they cover by one. This test takes about 40 s, so when UTC midnight is nearer than
     * {@code margin} it starts just after it.
     */
    private static void waitPastMidnightWhenCloserThan(Duration margin) {
        Instant now = Instant.now();
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        if (Duration.between(now, midnight).compareTo(margin) < 0) {
            System.out.println("RunKillTest waits for UTC midnight (" + midnight + ") to pass before it starts");
            sleep(Duration.between(now, midnight).toMillis() + 1_000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

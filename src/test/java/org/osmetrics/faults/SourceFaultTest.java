package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimFaults;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Faults of the simulated OpenStack during {@code os-metrics run}: each either recovers within the retry
 * bound with exactly the data of an undisturbed run, or fails with exit 4 (or 3) and loads nothing partial.
 */
class SourceFaultTest {
    private static final String[] RUN = {"run", "--all-projects", "--window", "1d", "--initial-lookback", "2d",
        "--page-size", "7", "--retry-for", "4s", "--read-timeout", "1s"};

    private static SimServer sim;
    @RegisterExtension
    static final TestDatabaseExtension reference = TestDatabaseExtension.migrated();
    private static Instant cutoff;

    private record Result(int code, String err, TestDatabase db) {
    }

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        cutoff = now.truncatedTo(ChronoUnit.DAYS);
        sim = SimServer.start(SimCloud.generate(51, 2, 30, now.minus(Duration.ofDays(4)), now.minus(Duration.ofHours(1))),
                Clock.systemUTC());
        assertThat(run(reference.test()).code()).isZero();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Result run(TestDatabase db) {
        StringWriter err = new StringWriter();
        int code = Main.execute(FaultEnvironment.of(sim, db), new PrintWriter(new StringWriter()), new PrintWriter(err), RUN);
        assertThat(err.toString()).as("no stack trace").doesNotContain("\tat ");
        return new Result(code, err.toString(), db);
    }

    /** A fresh database, the faults queued, one run. */
    private static Result runWith(Consumer<SimFaults> faults) {
        sim.faults().clear();
        faults.accept(sim.faults());
        Result result = run(TestDatabases.fresh());
        sim.faults().clear();
        return result;
    }

    private static void assertRecoveredWithIdenticalData(Result result) {
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(Rows.closedFacts(db.jdbi(), cutoff)).isNotEmpty()
                    .containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), cutoff));
            assertThat(Rows.closedRanges(db.jdbi(), cutoff)).containsExactlyElementsOf(Rows.closedRanges(reference.jdbi(), cutoff));
        }
    }

    private static void assertFailedLoadingNothing(Result result, int exitCode, String message) {
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isEqualTo(exitCode);
            assertThat(result.err()).contains(message);
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.usage_fact")).isZero();
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.extracted_range")).isZero();
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.run WHERE status <> 'failed'")).isZero();
        }
    }

    @Test
    void aBurstOfServerErrorsIsRetriedAndGivesTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.failNext(502, 2).failNext(504, 1).failNext(503, 1)));
    }

    @Test
    void tooManyRequestsWithRetryAfterIsWaitedOutAndGivesTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.failNext(429, 2)));
    }

    @Test
    void connectionResetsAreRetriedAndGiveTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.resetConnectionNext().resetConnectionNext()));
    }

    @Test
    void aReadTimeoutIsRetriedAndGivesTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.delayNext(Duration.ofSeconds(2))));
    }

    @Test
    void serverErrorsBeyondTheRetryBoundFailWithExitFourAndLoadNothing() {
        assertFailedLoadingNothing(runWith(f -> f.failNext(503, 50, Duration.ofSeconds(1))), 4, "retries are bounded by");
    }

    @Test
    void aBodyCutInTheMiddleOfAPageIsRetriedAndGivesTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.truncateNextBody().truncateNextBody()));
    }

    @Test
    void aBodyThatStopsComingIsRetriedAndGivesTheSameData() {
        assertRecoveredWithIdenticalData(runWith(f -> f.stallNextBody(Duration.ofSeconds(3))));
    }

    @Test
    void bodiesCutShortBeyondTheRetryBoundFailWithExitFourAndLoadNothing() {
        Result result = runWith(f -> {
            for (int i = 0; i < 50; i++) {
                f.truncateNextBody();
            }
        });
        assertFailedLoadingNothing(result, 4, "was cut short");
        assertThat(result.err()).contains("retries are bounded by --retry-for 4 s");
    }

    @Test
    void aCompleteButMalformedPageFailsAtOnceWithExitFourAndLoadsNothing() {
        int before = sim.usageRequests().size();
        Result result = runWith(SimFaults::malformNextBody);
        assertFailedLoadingNothing(result, 4, "malformed JSON from http://");
        assertThat(result.err()).contains("/os-simple-tenant-usage?");
        assertThat(sim.usageRequests().subList(before, sim.usageRequests().size()))
                .as("not retried: the answer was complete").hasSize(1);
    }

    @Test
    void aPageRepeatingThePreviousMarkerIsStoppedWithExitFourAndLoadsNothing() {
        assertFailedLoadingNothing(runWith(SimFaults::repeatMarkerNext), 4, "paging would loop");
    }

    @Test
    void keystoneDownAtStartFailsWithExitFourAndLoadsNothing() {
        Result result = runWith(f -> f.failKeystone(503, 50));
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isEqualTo(4);
            assertThat(result.err()).contains("Keystone login").contains("retries are bounded by");
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.usage_fact")).isZero();
        }
    }

    @Test
    void keystoneRefusingTheLoginFailsWithExitThree() {
        Result result = runWith(f -> f.failKeystone(401, 1));
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isEqualTo(3);
            assertThat(result.err()).contains("rejected the credentials");
        }
    }

    @Test
    void tokensExpiringBetweenPagesAreRenewedAndGiveTheSameData() {
        sim.faults().clear();
        TestDatabase db = TestDatabases.fresh();
        // expire every token as soon as the second usage page has been served
        int before = sim.usageRequests().size();
        long loginsBefore = logins();
        Thread expirer = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sim.usageRequests().size() < before + 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            sim.expireAllTokens();
        });
        expirer.start();
        Result result = run(db);
        try {
            expirer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(logins() - loginsBefore).as("logged in again after the expiry").isEqualTo(2);
        assertRecoveredWithIdenticalData(result);
    }

    private static long logins() {
        return sim.requests().stream().filter(r -> r.pathAndQuery().endsWith("/auth/tokens")).count();
    }
}

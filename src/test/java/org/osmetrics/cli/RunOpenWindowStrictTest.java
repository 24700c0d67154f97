package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * {@code run --all-projects --strict} over an open window that takes several pages, against a simulated Nova
 * on the real clock (each page clamped to its own "now", as Nova does): every run reconciles, exit 0.
 */
class RunOpenWindowStrictTest {
    private static TestDatabase test;
    private static SimServer sim;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        test = TestDatabases.fresh();
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(5, 4, 2600, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(1))),
                Clock.systemUTC());
        env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", test.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        sim.close();
        test.close();
    }

    @Test
    void twoStrictRunsOverAnOpenWindowOfSeveralPagesReconcileWithoutAnomalies() {
        for (int attempt = 1; attempt <= 2; attempt++) {
            sim.clearRequests();
            CommandRun run = CommandRun.of(env, "run", "--all-projects", "--strict", "--initial-lookback", "2h",
                    "--page-size", "500");

            assertThat(run.exitCode()).as("run " + attempt + ": " + run.err()).isZero();
            assertThat(run.out()).contains("last window provisional");
            long usagePages = sim.usageRequests().size();
            assertThat(usagePages).as("run " + attempt + " read the open window in several pages").isGreaterThan(2);
        }
        // the usage's anomalies: those of the timelines the runs also load (e.g. a server in error whose actions do not
        // say when) are about the servers' histories, not about Nova's numbers
        long anomalies = test.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.anomaly"
                + " WHERE NOT (kind LIKE 'timeline\\_%' OR kind = 'dropped_hours')").mapTo(Long.class).one());
        long pageStops = test.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(DISTINCT body::jsonb -> 'tenant_usages' -> 0 ->> 'stop') FROM metrics.raw_page")
                .mapTo(Long.class).one());
        assertThat(anomalies).isZero();
        assertThat(pageStops).as("the pages carry different stops").isGreaterThan(2);
    }
}

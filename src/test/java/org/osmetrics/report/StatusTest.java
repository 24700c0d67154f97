package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.load.RunLedger;
import org.osmetrics.load.RunLock;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimEnvironment;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/** status over data loaded for real (backfills against the simulator): runs, coverage, gaps, metrics. */
class StatusTest {
    private static final Instant NOW = Instant.parse("2026-10-01T12:34:56Z");
    private static final Instant SEP_1 = Instant.parse("2026-09-01T00:00:00Z");

    private static Backfill.Summary backfill(TestDatabase test, SimServer sim, SimClock clock, Instant from, Instant to) {
        Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(), from, to, null, Duration.ofDays(1), 2,
                false, false, false);
        return new Backfill(test.database(), clock).run(() -> SimEnvironment.connect(sim, clock), request,
                new Backfill.Listener() { });
    }

    @Test
    void statusShowsRunsCoverageGapsProvisionalWindowsAndInterruptedRuns() {
        SimClock clock = new SimClock(NOW);
        try (TestDatabase test = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(3, 2, 30, SEP_1, NOW), clock);
             OpenStackUsageSource source = SimEnvironment.connect(sim, clock)) {
            String cloud = source.cloudKey();
            backfill(test, sim, clock, SEP_1, SEP_1.plus(Duration.ofDays(3)));
            backfill(test, sim, clock, SEP_1.plus(Duration.ofDays(5)), SEP_1.plus(Duration.ofDays(7)));
            backfill(test, sim, clock, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
            RunLedger ledger = new RunLedger(test.jdbi(), clock);
            long crashed = ledger.start("run", "", null, "*");
            Status.Snapshot snapshot;
            String held;
            try (RunLock lock = RunLock.acquire(test.database().dataSource(), cloud)) {
                int cloudId = test.jdbi().withHandle(h -> h.createQuery("SELECT cloud_id FROM metrics.cloud").mapTo(Integer.class).one());
                long running = ledger.start("run", "", cloudId, "*");
                snapshot = new Status(test.jdbi(), Clock.fixed(NOW.plus(Duration.ofHours(3)), ZoneOffset.UTC)).read(10, "backfill");
                held = snapshot.runs().stream().filter(r -> r.runId() == running).findFirst().orElseThrow().result();
            }

            assertThat(held).as("a run whose process holds the lock").isEqualTo("running");
            assertThat(snapshot.runs()).filteredOn(r -> r.runId() == crashed).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo("interrupted"));
            assertThat(snapshot.runs()).filteredOn(r -> r.command().equals("backfill")).hasSize(3)
                    .allSatisfy(r -> assertThat(r.result()).isEqualTo("succeeded"));
            assertThat(snapshot.coverage()).singleElement().satisfies(c -> {
                assertThat(c.cloud()).isEqualTo(cloud);
                assertThat(c.scope()).isEqualTo("*");
                assertThat(c.firstWindow()).isEqualTo(SEP_1);
                assertThat(c.loadedUntil()).as("the windows that had closed when Nova answered").isEqualTo("2026-10-01T12:00:00Z");
                assertThat(c.provisionalWindows()).as("the window open when Nova answered").isEqualTo(1);
                assertThat(c.gaps()).extracting(Status.Period::start, Status.Period::end).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-09-04T00:00:00Z"), Instant.parse("2026-09-06T00:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-09-08T00:00:00Z"), Instant.parse("2026-09-30T12:00:00Z")));
                assertThat(c.gapWindows()).isEqualTo(48 + 540);
            });
            assertThat(snapshot.lastSuccess()).singleElement().satisfies(s -> {
                assertThat(s.finishedAt()).isEqualTo(NOW);
                assertThat(s.latestStatus()).isEqualTo("succeeded");
            });
            assertThat(snapshot.staleScopes(Duration.ofHours(2))).hasSize(1);
            assertThat(snapshot.staleScopes(Duration.ofHours(4))).isEmpty();

            String metrics = PrometheusMetrics.render(snapshot);
            String labels = "{cloud=\"" + cloud + "\",scope=\"*\"}";
            assertThat(metrics)
                    .contains("# TYPE os_metrics_last_success_timestamp_seconds gauge\n")
                    .contains("os_metrics_last_success_timestamp_seconds" + labels + " " + NOW.getEpochSecond() + "\n")
                    .contains("os_metrics_coverage_gaps" + labels + " 588\n")
                    .contains("os_metrics_provisional_windows" + labels + " 1\n")
                    .contains("os_metrics_reconciliation_mismatches{cloud=\"" + cloud + "\"} 0\n");
            assertThat(metrics.lines().filter(line -> !line.startsWith("#")))
                    .allMatch(line -> line.matches("[a-z_]+\\{[^}]*} -?[0-9.]+"));
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(PrometheusMetrics.labels("cloud", "a\"b\\c\nd", "scope", null))
                .isEqualTo("{cloud=\"a\\\"b\\\\c\\nd\",scope=\"\"}");
    }
}

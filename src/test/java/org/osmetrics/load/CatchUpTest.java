package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.pipeline.CatchUp;

/** The run pipeline end to end: the simulated OpenStack over HTTP, the real extract stage, PostgreSQL. */
class CatchUpTest {
    private static final Instant GENERATED_FROM = Instant.parse("2026-11-15T00:00:00Z");
    private static final Instant FIRST_RUN = Instant.parse("2026-11-24T14:23:45.678901Z");

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;
    private SimServer sim;
    private SimClock clock;

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
    }

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    /** A cloud of its own per test (its key is the simulator's host:port and region). */
    private OpenStackUsageSource source(long seed, int pageSize) {
        clock = new SimClock(FIRST_RUN);
        sim = SimServer.start(SimCloud.generate(seed, 4, 120, GENERATED_FROM, FIRST_RUN.plus(Duration.ofDays(2))), clock);
        Map<String, String> env = SimulatorLogins.admin(sim);
        ClientTuning tuning = new ClientTuning(pageSize, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return OpenStackUsageSource.connect(OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), env, tuning), clock);
    }

    private static CatchUp.Request allProjects(Duration lookback) {
        return new CatchUp.Request("run", "--all-projects", ScopeChoice.allProjects(), null, Duration.ofDays(1), lookback, false,
                false);
    }

    private CatchUp.Summary run(OpenStackUsageSource source, CatchUp.Request request) {
        return new CatchUp(databaseOf(), clock).run(source, request, range -> { });
    }

    private static Database databaseOf() {
        return test.database();
    }

    private static long count(String sql, Object... binds) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) {
                query.bind(i, binds[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    private static int cloudId(OpenStackUsageSource source) {
        return new CloudRepository(jdbi).find(source.cloudKey()).orElseThrow().cloudId();
    }

    @Test
    void secondRunLoadsOnlyTheNewWindowsAndNothingTwice() {
        try (OpenStackUsageSource source = source(11, 25)) {
            CatchUp.Summary first = run(source, allProjects(Duration.ofHours(48)));
            clock.advance(Duration.ofHours(3));
            CatchUp.Summary second = run(source, allProjects(Duration.ofHours(48)));
            int cloud = cloudId(source);

            assertThat(first.from()).isEqualTo("2026-11-22T14:00:00Z");
            assertThat(first.to()).isEqualTo("2026-11-24T15:00:00Z");
            assertThat(first.provisional()).isTrue();
            assertThat(second.from()).as("resumes at the end of the last closed range").isEqualTo("2026-11-24T00:00:00Z");
            assertThat(second.to()).isEqualTo("2026-11-24T18:00:00Z");
            // closed windows of the first run are not rewritten: the second run's rows are windows from 14:00
            assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ? AND run_id = ?", cloud, second.runId()))
                    .isEqualTo(second.rows());
            assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ? AND run_id = ?"
                    + " AND window_start < '2026-11-24T14:00:00Z'", cloud, second.runId())).isZero();
            assertThat(count("SELECT count(*) FROM (SELECT instance_id, window_start FROM metrics.usage_fact"
                    + " WHERE cloud_id = ? GROUP BY 1, 2 HAVING count(*) > 1) d", cloud)).isZero();
            assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ? AND provisional", cloud))
                    .as("only the 17:00 window is still open").isEqualTo(
                            count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ?"
                                    + " AND window_start = '2026-11-24T17:00:00Z'", cloud));
            assertThat(count("SELECT count(*) FROM metrics.run WHERE cloud_id = ? AND status = 'succeeded'", cloud)).isEqualTo(2);
        }
    }

    @Test
    void sumsPerProjectAndRangeEqualNovaTotalsAndOpenWindowsAreFinalised() {
        try (OpenStackUsageSource source = source(12, 7)) {
            CatchUp.Summary first = run(source, allProjects(Duration.ofHours(30)));
            clock.set(Instant.parse("2026-11-25T00:10:00Z"));
            CatchUp.Summary second = run(source, allProjects(Duration.ofHours(30)));
            int cloud = cloudId(source);

            assertThat(first.reconciled()).isTrue();
            assertThat(second.reconciled()).isTrue();
            assertThat(count("SELECT count(*) FROM metrics.anomaly WHERE cloud_id = ?", cloud)).isZero();
            assertThat(count("SELECT count(*) FROM metrics.nova_totals WHERE cloud_id = ? AND NOT matches", cloud)).isZero();
            assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ? AND provisional"
                    + " AND window_start < '2026-11-25T00:00:00Z'", cloud)).as("the day has closed").isZero();
            List<Map<String, Object>> perRange = jdbi.withHandle(h -> h.createQuery(
                            "SELECT n.project_id, n.range_start, n.total_hours, n.total_vcpus_usage, n.total_memory_mb_usage,"
                                    + " (SELECT sum(hours) FROM metrics.usage_fact f WHERE f.cloud_id = n.cloud_id"
                                    + "  AND f.project_id = n.project_id AND f.window_start >= n.range_start"
                                    + "  AND f.window_start < n.range_end) AS hours,"
                                    + " (SELECT sum(memory_mb_hours) FROM metrics.usage_fact f WHERE f.cloud_id = n.cloud_id"
                                    + "  AND f.project_id = n.project_id AND f.window_start >= n.range_start"
                                    + "  AND f.window_start < n.range_end) AS memory"
                                    + " FROM metrics.nova_totals n WHERE n.cloud_id = :cloud AND NOT n.provisional")
                    .bind("cloud", cloud).mapToMap().list());
            assertThat(perRange).isNotEmpty();
            for (Map<String, Object> row : perRange) {
                double nova = (Double) row.get("total_hours");
                assertThat((Double) row.get("hours")).as(row.toString()).isCloseTo(nova, within(1e-9 * Math.max(1, nova)));
                double novaMemory = (Double) row.get("total_memory_mb_usage");
                assertThat((Double) row.get("memory")).as(row.toString())
                        .isCloseTo(novaMemory, within(1e-9 * Math.max(1, novaMemory)));
            }
        }
    }

    @Test
    void aSecondRunWhileTheLockIsHeldExitsSixAndLoadsNothing() {
        try (OpenStackUsageSource source = source(13, 1000);
             RunLock held = RunLock.acquire(databaseOf().dataSource(), source.cloudKey())) {
            assertThatThrownBy(() -> run(source, allProjects(Duration.ofHours(24))))
                    .isInstanceOf(OsMetricsException.class)
                    .hasMessageContaining("another os-metrics run holds the lock")
                    .satisfies(e -> assertThat(((OsMetricsException) e).exitCode()).isEqualTo(ExitCode.LOCKED));
            assertThat(new CloudRepository(jdbi).find(source.cloudKey())).isEmpty();
        }
    }

    @Test
    void aFailureBetweenPagesLeavesNoPartialRangeAndAFailedLedgerEntry() {
        try (OpenStackUsageSource source = source(14, 10)) {
            sim.faults().repeatMarkerNext();

            assertThatThrownBy(() -> run(source, allProjects(Duration.ofHours(10))))
                    .isInstanceOf(OsMetricsException.class);
            int cloud = cloudId(source);

            assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ?", cloud)).isZero();
            assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE cloud_id = ?", cloud)).isZero();
            String ledger = jdbi.withHandle(h -> h.createQuery("SELECT status || ': ' || error FROM metrics.run WHERE cloud_id = :c")
                    .bind("c", cloud).mapTo(String.class).one());
            assertThat(ledger).startsWith("failed: ").contains("marker");

            CatchUp.Summary retry = run(source, allProjects(Duration.ofHours(10)));
            assertThat(retry.rows()).isEqualTo(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = ?", cloud))
                    .isPositive();
        }
    }
}

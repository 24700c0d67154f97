package org.osmetrics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimFlavor;
import org.osmetrics.sim.SimInstance;
import org.osmetrics.sim.Latency;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimEnvironment;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.RunLock;

/** Backfill end to end: the simulated OpenStack over HTTP, the real extract stage, PostgreSQL. */
class BackfillTest {
    private static final Instant FROM = Instant.parse("2026-09-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-09-11T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T12:34:56Z");

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;
    private final List<SimServer> sims = new ArrayList<>();
    private final SimClock clock = new SimClock(NOW);

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
    }

    @AfterEach
    void stopSimulators() {
        sims.forEach(SimServer::close);
    }

    /** A simulator of its own: its cloud key (host:port/region) keeps each test's data apart. */
    private SimServer sim(SimCloud cloud) {
        SimServer sim = SimServer.start(cloud, clock);
        sims.add(sim);
        return sim;
    }

    private SimServer generated(long seed) {
        return sim(SimCloud.generate(seed, 3, 60, FROM.minus(Duration.ofDays(5)), TO.plus(Duration.ofDays(5))));
    }

    private Backfill.Summary backfill(SimServer sim, Instant from, Instant to, int parallel, boolean force) {
        Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(), from, to, null, Duration.ofDays(1),
                parallel, force, false, false);
        return new Backfill(test.database(), clock).run(() -> SimEnvironment.connect(sim, clock), request,
                new Backfill.Listener() { });
    }

    private int cloudId(SimServer sim) {
        return new CloudRepository(jdbi).find(cloudKey(sim)).orElseThrow().cloudId();
    }

    private String cloudKey(SimServer sim) {
        try (var source = SimEnvironment.connect(sim, clock)) {
            return source.cloudKey();
        }
    }

    /** Every fact of a cloud, all columns but the cloud and the run, in key order. */
    static List<String> facts(Jdbi jdbi, int cloudId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT f.instance_id, f.window_start, f.window_end, f.project_id,"
                        + " fl.name AS flavor, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours, f.memory_mb_hours,"
                        + " f.local_gb_hours, f.state, f.provisional FROM metrics.usage_fact f"
                        + " JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id"
                        + " WHERE f.cloud_id = :cloud ORDER BY f.instance_id, f.window_start")
                .bind("cloud", cloudId)
                .map((rs, ctx) -> {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.append(rs.getString(i)).append('|');
                    }
                    return row.toString();
                })
                .list());
    }

    private static long count(String sql, int cloudId) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("cloud", cloudId).mapTo(Long.class).one());
    }

    @Test
    void backfillLoadsEveryChunkOnceAndASecondBackfillSkipsThemAll() {
        SimServer sim = generated(5);
        Backfill.Summary first = backfill(sim, FROM, TO, 2, false);
        int cloud = cloudId(sim);
        long facts = count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud", cloud);
        sim.clearRequests();

        Backfill.Summary second = backfill(sim, FROM, TO, 2, false);

        assertThat(first.chunks()).isEqualTo(10);
        assertThat(first.skipped()).isZero();
        assertThat(first.windows()).isEqualTo(240);
        assertThat(first.rows()).isEqualTo(facts).isPositive();
        assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE cloud_id = :cloud AND NOT provisional", cloud))
                .isEqualTo(10);
        assertThat(second.skipped()).isEqualTo(10);
        assertThat(second.rows()).isZero();
        assertThat(sim.usageRequests()).as("nothing asked of Nova again").isEmpty();
        assertThat(count("SELECT count(*) FROM metrics.run WHERE cloud_id = :cloud AND command = 'backfill'"
                + " AND status = 'succeeded'", cloud)).isEqualTo(2);
    }

    @Test
    void parallelExtractionGivesTheSameRowsAsOneChunkAtATime() {
        SimServer serial = generated(9);
        SimServer parallel = generated(9);
        backfill(serial, FROM, TO, 1, false);
        backfill(parallel, FROM, TO, 4, false);

        List<String> serialFacts = facts(jdbi, cloudId(serial));
        assertThat(serialFacts).isNotEmpty();
        assertThat(facts(jdbi, cloudId(parallel))).containsExactlyElementsOf(serialFacts);
    }

    @Test
    void usageCallsAndTheActionReadsAlongsideThemNeverExceedParallelCallsAtOnce() {
        SimServer sim = generated(11);
        sim.setLatency(new Latency(Duration.ofMillis(20), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(20)));
        Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(), FROM, TO, null,
                Duration.ofDays(1), 2, false, false, false, false, true);

        Backfill.Summary summary = new Backfill(test.database(), clock).run(() -> SimEnvironment.connect(sim, clock),
                request, new Backfill.Listener() { });

        assertThat(summary.timelines().read()).isEqualTo(summary.timelines().listed()).isPositive();
        assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).isPositive();
        assertThat(sim.mostCallsAtOnce()).as("calls at once, usage and actions together").isEqualTo(2);
    }

    @Test
    void onlyTheChunksMissingAreExtractedAfterAPartialLoad() {
        SimServer sim = generated(13);
        backfill(sim, FROM.plus(Duration.ofDays(3)), FROM.plus(Duration.ofDays(5)), 1, false);
        sim.clearRequests();

        Backfill.Summary rest = backfill(sim, FROM, TO, 2, false);

        assertThat(rest.skipped()).isEqualTo(2);
        assertThat(sim.usageRequests()).hasSize(8);
        SimServer reference = generated(13);
        backfill(reference, FROM, TO, 2, false);
        assertThat(facts(jdbi, cloudId(sim))).containsExactlyElementsOf(facts(jdbi, cloudId(reference)));
    }

    @Test
    void forceExtractsAgainButClosedWindowsStayAsRecorded() {
        SimServer sim = generated(17);
        backfill(sim, FROM, TO, 2, false);
        int cloud = cloudId(sim);
        List<String> before = facts(jdbi, cloud);
        sim.clearRequests();

        Backfill.Summary forced = backfill(sim, FROM, TO, 2, true);

        assertThat(forced.skipped()).isZero();
        assertThat(sim.usageRequests()).hasSize(10);
        assertThat(forced.rows()).isZero();
        assertThat(facts(jdbi, cloud)).containsExactlyElementsOf(before);
    }

    @Test
    void aRangeReachingNowStopsAtTheOpenWindowAndIsProvisional() {
        SimServer sim = generated(19);
        Instant from = NOW.minus(Duration.ofDays(2));

        Backfill.Summary summary = backfill(sim, from, NOW.plus(Duration.ofDays(30)), 2, false);

        assertThat(summary.to()).isEqualTo("2026-10-01T13:00:00Z");
        assertThat(summary.provisional()).isTrue();
        assertThat(sim.usageRequests()).allSatisfy(request -> assertThat(request.toString()).doesNotContain("2026-10-02"));
        int cloud = cloudId(sim);
        assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE cloud_id = :cloud AND provisional", cloud))
                .isEqualTo(1);
    }

    @Test
    void aDayWhoseDeletedServersNovaArchivedIsReportedAsProbablyTruncated() {
        // 12 short-lived servers a day, but Nova has archived the deleted ones of 2026-09-05
        SimCloud.Builder cloud = SimCloud.builder().project("p1", "one");
        SimFlavor flavor = new SimFlavor("m1.small", 1, 2048, 20, 0);
        for (int day = 0; day < 10; day++) {
            for (int n = 0; n < 12 && day != 4; n++) {
                Instant launched = FROM.plus(Duration.ofDays(day)).plus(Duration.ofHours(n));
                cloud.instance(new SimInstance(UUID.nameUUIDFromBytes(("s" + day + "-" + n).getBytes()).toString(),
                        "s" + day + "-" + n, "p1", flavor, launched, launched.plus(Duration.ofHours(3)), "deleted"));
            }
        }
        SimServer sim = sim(cloud.build());

        Backfill.Summary summary = backfill(sim, FROM, TO, 2, false);

        assertThat(summary.suspectedTruncations()).singleElement().satisfies(t -> {
            assertThat(t.start()).isEqualTo("2026-09-05T00:00:00Z");
            assertThat(t.end()).isEqualTo("2026-09-06T00:00:00Z");
            assertThat(t.medianBefore()).isGreaterThanOrEqualTo(12);
            assertThat(t.medianAfter()).isGreaterThanOrEqualTo(12);
        });
        assertThat(summary.vanishedServers()).as("nothing was recorded before").isEmpty();
    }

    /** {@code perDay[d]} servers of 3 hours launched on day d of [FROM, TO), deleted; all of project p1. */
    private static SimCloud.Builder shortLived(int... perDay) {
        SimCloud.Builder cloud = SimCloud.builder().project("p1", "one");
        SimFlavor flavor = new SimFlavor("m1.small", 1, 2048, 20, 0);
        for (int day = 0; day < perDay.length; day++) {
            for (int n = 0; n < perDay[day]; n++) {
                Instant launched = FROM.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(17L * n));
                cloud.instance(new SimInstance(serverId(day, n), "s" + day + "-" + n, "p1", flavor, launched,
                        launched.plus(Duration.ofHours(3)), "deleted"));
            }
        }
        return cloud;
    }

    private static String serverId(int day, int n) {
        return UUID.nameUUIDFromBytes(("s" + day + "-" + n).getBytes()).toString();
    }

    @Test
    void aFleetThatGrewIsNotReportedAsLostAtTheSource() {
        // 4 servers a day, then 60 from the fourth day on: a step, with no dip and nothing recorded before
        SimServer sim = sim(shortLived(4, 4, 4, 60, 60, 60, 60, 60, 60, 60).build());

        Backfill.Summary summary = backfill(sim, FROM, TO, 2, false);

        assertThat(summary.servers()).isEqualTo(12 + 7 * 60);
        assertThat(summary.suspectedTruncations()).isEmpty();
        assertThat(summary.vanishedServers()).isEmpty();
    }

    @Test
    void aShrinkingFleetIsNotReportedAsLostAtTheSource() {
        SimServer sim = sim(shortLived(60, 60, 60, 60, 60, 8, 8, 8, 8, 8).build());

        Backfill.Summary summary = backfill(sim, FROM, TO, 2, false);

        assertThat(summary.suspectedTruncations()).isEmpty();
        assertThat(summary.vanishedServers()).isEmpty();
    }

    @Test
    void serversLoadedBeforeThatNovaNoLongerListsAreReportedWithHowMany() {
        int[] perDay = {12, 12, 12, 12, 12, 12, 12, 12, 12, 12};
        SimServer sim = sim(shortLived(perDay).build());
        assertThat(backfill(sim, FROM, TO, 2, false).vanishedServers()).isEmpty();
        // Nova archives 3 of the deleted servers of 2026-09-05: too few for a dip (9 against 12), but recorded here
        SimCloud.Builder archived = SimCloud.builder().project("p1", "one");
        List<String> gone = List.of(serverId(4, 0), serverId(4, 5), serverId(4, 11));
        sim.cloud().instances().stream().filter(i -> !gone.contains(i.uuid())).forEach(archived::instance);
        sim.replaceCloud(archived.build());

        Backfill.Summary again = backfill(sim, FROM, TO, 2, true);

        assertThat(again.vanishedServers()).singleElement().satisfies(v -> {
            assertThat(v.start()).isEqualTo("2026-09-05T00:00:00Z");
            assertThat(v.end()).isEqualTo("2026-09-06T00:00:00Z");
            assertThat(v.servers()).isEqualTo(3);
            assertThat(v.examples()).containsExactlyInAnyOrderElementsOf(gone);
        });
        assertThat(again.suspectedTruncations()).isEmpty();
    }

    @Test
    void aGapFilledAfterNovaArchivedServersRecordedAroundItWarnsNamingHowMany() {
        // 10 short-lived servers a day, and 5 that ran from 2026-09-02 to 2026-09-08
        SimCloud.Builder cloud = shortLived(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        SimFlavor flavor = new SimFlavor("m1.large", 4, 8192, 80, 0);
        List<String> longLived = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            String id = UUID.nameUUIDFromBytes(("long-" + n).getBytes()).toString();
            longLived.add(id);
            cloud.instance(new SimInstance(id, "long-" + n, "p1", flavor, FROM.plus(Duration.ofDays(1)).plusSeconds(n),
                    FROM.plus(Duration.ofDays(7)), "deleted"));
        }
        SimServer sim = SimServer.start(cloud.build(), Clock.systemUTC());
        sims.add(sim);
        Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", test.jdbcUrl());
        CommandRun before = CommandRun.of(env, "backfill", "--all-projects",
                "--quiet", "--from", "2026-09-01", "--to", "2026-09-05");
        CommandRun after = CommandRun.of(env, "backfill", "--all-projects",
                "--quiet", "--from", "2026-09-06", "--to", "2026-09-11");
        assertThat(before.exitCode() + after.exitCode()).as(before.err() + after.err()).isZero();
        // Nova archives the 5 (deleted on 2026-09-08) before anyone asks it for 2026-09-05
        SimCloud.Builder archived = SimCloud.builder().project("p1", "one");
        sim.cloud().instances().stream().filter(i -> !longLived.contains(i.uuid())).forEach(archived::instance);
        sim.replaceCloud(archived.build());

        CommandRun gap = CommandRun.of(env, "backfill", "--all-projects",
                "--quiet", "--from", "2026-09-05", "--to", "2026-09-06");

        assertThat(gap.exitCode()).as(gap.err()).isZero();
        assertThat(gap.errLines()).singleElement().asString()
                .startsWith("backfill: warning: 2026-09-05T00:00:00Z..2026-09-06T00:00:00Z: Nova no longer lists 5"
                        + " servers this database recorded alive then (")
                .contains(longLived.stream().sorted().toList().get(0))
                .contains("archived or purged them");
    }

    @Test
    void truncationIsSuspectedOnlyFarBelowTheNeighboursMedian() {
        Instant t = FROM;
        List<Backfill.RangeCount> counts = new ArrayList<>();
        int[] servers = {100, 104, 98, 55, 101, 40, 103, 99};
        for (int i = 0; i < servers.length; i++) {
            counts.add(new Backfill.RangeCount(t.plus(Duration.ofDays(i)), t.plus(Duration.ofDays(i + 1)), servers[i]));
        }

        assertThat(Backfill.suspectedTruncations(counts)).extracting(Backfill.SuspectedTruncation::servers)
                .containsExactly(40);
        assertThat(Backfill.suspectedTruncations(List.of(new Backfill.RangeCount(t, t.plusSeconds(1), 0),
                new Backfill.RangeCount(t, t.plusSeconds(1), 2), new Backfill.RangeCount(t, t.plusSeconds(1), 3))))
                .as("too few servers to tell").isEmpty();
    }

    @Test
    void aSecondBackfillOfTheSameCloudMeanwhileExitsLocked() {
        SimServer sim = generated(23);
        String key = cloudKey(sim);
        try (RunLock held = RunLock.acquire(test.database().dataSource(), key)) {
            assertThatThrownBy(() -> backfill(sim, FROM, TO, 2, false))
                    .isInstanceOfSatisfying(OsMetricsException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED));
        }
    }
}

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.Cancellation;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.sim.SimAction;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimEvent;
import org.osmetrics.sim.SimFlavor;
import org.osmetrics.sim.SimInstance;
import org.osmetrics.sim.SimResize;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.pipeline.CatchUp;

/**
 * October 2026 of the five servers of issue #15, over real HTTP: the simulated Nova holds their histories (Nova's
 * usage moves launched_at and the flavor at each resize, revert and unshelve, as it does), {@code run} is called
 * every morning (while anything changes) with timelines on a daily grid, and report.server_usage_by_state then gives per state the hours of
 * the hand computation below. The unshelved server is in a project whose runs stopped on Oct 3 and came back on
 * Nov 1, after its unshelve: Nova no longer reports its Oct 3-19, and those hours are recovered (only there).
 */
class TimelineMonthOverHttpTest {
    private static final String PROJECT = "aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa";
    private static final String LATE_PROJECT = "bbbbbbbbbbbb4bbb8bbbbbbbbbbbbbbb";
    private static final String STOPPED = "00000000-0000-4000-8000-00000000000a";
    private static final String SHELVED = "00000000-0000-4000-8000-00000000000b";
    private static final String CONFIRMED = "00000000-0000-4000-8000-00000000000c";
    private static final String REVERTED = "00000000-0000-4000-8000-00000000000d";
    private static final String UNSHELVED = "00000000-0000-4000-8000-00000000000e";
    private static final SimFlavor SMALL = new SimFlavor("m1.small", 1, 2048, 20, 0);
    private static final SimFlavor LARGE = new SimFlavor("m1.large", 4, 8192, 80, 0);
    private static final Instant SEP_1 = Instant.parse("2026-09-01T00:00:00Z");

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;

    private static SimAction action(String server, String project, String name, String finish, String result) {
        Instant done = Instant.parse(finish);
        Instant asked = done.minusSeconds(60);
        return new SimAction(server, "req-" + name + "-" + finish + "-" + server.substring(34), name,
                "5a1d66d1eaac4480b5e1c85e5fe17cb8", project, asked,
                List.of(new SimEvent("compute_" + name, asked.plusSeconds(1), done, result, "compute-07")));
    }

    private static SimAction done(String server, String name, String finish) {
        return action(server, UNSHELVED.equals(server) ? LATE_PROJECT : PROJECT, name, finish, "Success");
    }

    /** The five histories, and the usage Nova reports after them (launched_at moved by each reset). */
    static SimCloud october() {
        return SimCloud.builder()
                .project(PROJECT, "steady")
                .project(LATE_PROJECT, "late")
                .instance(new SimInstance(STOPPED, "stopped", PROJECT, SMALL, Instant.parse("2026-09-09T23:58:00Z"),
                        null, "stopped"))
                .action(done(STOPPED, "create", "2026-09-09T23:58:00Z"))
                .action(done(STOPPED, "stop", "2026-09-20T12:00:00Z"))
                .action(done(STOPPED, "start", "2026-10-03T08:00:00Z"))
                .action(action(STOPPED, PROJECT, "start", "2026-10-08T09:00:00Z", "Error"))
                .action(done(STOPPED, "stop", "2026-10-10T00:00:00Z"))
                .instance(new SimInstance(SHELVED, "shelved", PROJECT, SMALL, SEP_1, null, "shelved_offloaded"))
                .action(done(SHELVED, "create", "2026-09-01T00:00:00Z"))
                .action(done(SHELVED, "shelve", "2026-10-10T00:00:00Z"))
                .action(done(SHELVED, "shelveOffload", "2026-10-12T12:00:00Z"))
                .instance(new SimInstance(CONFIRMED, "confirmed", PROJECT, LARGE, Instant.parse("2026-10-10T00:00:00Z"),
                        null, "active"))
                .resize(new SimResize(CONFIRMED, Instant.parse("2026-10-10T00:00:00Z"), SEP_1, SMALL, LARGE))
                .action(done(CONFIRMED, "create", "2026-09-01T00:00:00Z"))
                .action(done(CONFIRMED, "resize", "2026-10-10T00:00:00Z"))
                .action(done(CONFIRMED, "confirmResize", "2026-10-11T00:00:00Z"))
                .instance(new SimInstance(REVERTED, "reverted", PROJECT, SMALL, Instant.parse("2026-10-11T12:00:00Z"),
                        null, "active"))
                .resize(new SimResize(REVERTED, Instant.parse("2026-10-10T00:00:00Z"), SEP_1, SMALL, LARGE))
                .resize(new SimResize(REVERTED, Instant.parse("2026-10-11T12:00:00Z"),
                        Instant.parse("2026-10-10T00:00:00Z"), LARGE, SMALL))
                .action(done(REVERTED, "create", "2026-09-01T00:00:00Z"))
                .action(done(REVERTED, "resize", "2026-10-10T00:00:00Z"))
                .action(done(REVERTED, "revertResize", "2026-10-11T12:00:00Z"))
                .instance(new SimInstance(UNSHELVED, "unshelved", LATE_PROJECT, SMALL,
                        Instant.parse("2026-10-20T00:00:00Z"), null, "active"))
                .resize(new SimResize(UNSHELVED, Instant.parse("2026-10-20T00:00:00Z"), SEP_1, SMALL, SMALL))
                .action(done(UNSHELVED, "create", "2026-09-01T00:00:00Z"))
                .action(done(UNSHELVED, "shelve", "2026-10-05T00:00:00Z"))
                .action(done(UNSHELVED, "unshelve", "2026-10-20T00:00:00Z"))
                .build();
    }

    @BeforeAll
    static void monthOfRuns() {
        jdbi = test.jdbi();
        SimClock clock = new SimClock(Instant.parse("2026-10-02T06:00:00Z"));
        try (SimServer sim = SimServer.start(october(), clock);
             OpenStackUsageSource source = OpenStackUsageSource.connect(OpenStackSettingsLoader.load(
                     Map.<OpenStackSetting, String>of(), SimulatorLogins.admin(sim), new ClientTuning(100,
                             Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30))),
                     clock)) {
            CatchUp catchUp = new CatchUp(test.database(), clock, new Cancellation());
            // every morning from Oct 2 to 13 for the steady project (nothing of it changes after Oct 12, so the run
            // of Nov 1 that catches up the rest gets what daily runs would have); the late one on Oct 2 and 3, Nov 1
            while (!clock.instant().isAfter(Instant.parse("2026-11-01T06:00:00Z"))) {
                Instant now = clock.instant();
                if (now.isBefore(Instant.parse("2026-10-14T00:00:00Z")) || now.isAfter(Instant.parse("2026-11-01T00:00:00Z"))) {
                    catchUp.run(source, request(PROJECT), range -> { });
                }
                if (now.isBefore(Instant.parse("2026-10-04T00:00:00Z")) || now.isAfter(Instant.parse("2026-11-01T00:00:00Z"))) {
                    catchUp.run(source, request(LATE_PROJECT), range -> { });
                }
                clock.advance(Duration.ofDays(1));
            }
        }
    }

    private static CatchUp.Request request(String project) {
        return new CatchUp.Request("run", "--project " + project, ScopeChoice.project(project),
                new WindowGrid(Duration.ofDays(1)), Duration.ofDays(1), Duration.ofHours(30), false, false, true);
    }

    /** Per "state flavor recovered": hours of the server in October, from the view. */
    private static Map<String, BigDecimal> hoursOfOctober(String id) {
        Map<String, BigDecimal> hours = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                SELECT vm_state || ' ' || coalesce(flavor_as_run, '?') || CASE WHEN recovered THEN ' recovered' ELSE '' END AS k,
                       sum(hours) AS hours
                FROM report.server_usage_by_state
                WHERE instance_id = CAST(:id AS uuid) AND window_start >= '2026-10-01 00:00Z'
                  AND window_start < '2026-11-01 00:00Z'
                GROUP BY 1""").bind("id", id).mapToMap()
                .forEach(row -> hours.put((String) row.get("k"), ((BigDecimal) row.get("hours")).stripTrailingZeros())));
        return hours;
    }

    private static Map<String, BigDecimal> expect(Object... keyAndHours) {
        Map<String, BigDecimal> map = new TreeMap<>();
        for (int i = 0; i < keyAndHours.length; i += 2) {
            map.put((String) keyAndHours[i], new BigDecimal(keyAndHours[i + 1].toString()).stripTrailingZeros());
        }
        return map;
    }

    @Test
    void stoppedStartedFailedToStartAndStoppedAgain() {
        // stopped until Oct 3 08:00 (56 h), active to Oct 10 00:00 (160 h; the failed start of Oct 8 changes
        // nothing), stopped to the end (22 days, 528 h): 744 h as Nova counts them
        assertThat(hoursOfOctober(STOPPED)).isEqualTo(expect("stopped m1.small", 584, "active m1.small", 160));
    }

    @Test
    void shelvedThenOffloaded() {
        // active Oct 1-9 (216 h), shelved Oct 10 to 12 12:00 (60 h), offloaded from then (19.5 days, 468 h)
        assertThat(hoursOfOctober(SHELVED)).isEqualTo(expect("active m1.small", 216, "shelved m1.small", 60,
                "shelved_offloaded m1.small", 468));
    }

    @Test
    void resizedAndConfirmed() {
        // active small Oct 1-8 (192 h); Oct 9 Nova dropped: the resize of Oct 10 00:00 moved launched_at before the
        // run of Oct 10 06:00 closed that day, so it is in no fact and recovered (active small, 24 h); resized large
        // on Oct 10 (24 h), active large after the confirm (21 days, 504 h)
        assertThat(hoursOfOctober(CONFIRMED)).isEqualTo(expect("active m1.small", 192, "active m1.small recovered", 24,
                "resized m1.large", 24, "active m1.large", 504));
    }

    @Test
    void resizedAndReverted() {
        // active small Oct 1-8 (192 h), Oct 9 dropped by Nova and recovered (24 h, as above), resized large Oct 10
        // (24 h); the revert of Oct 11 12:00 reset launched_at, so Nova's Oct 11 holds 12 h, all after the revert:
        // active small 12 + 480 h (Oct 12-31); the 12 h Nova dropped on Oct 11 are not recovered: that window has a fact
        assertThat(hoursOfOctober(REVERTED)).isEqualTo(expect("active m1.small", 684, "active m1.small recovered", 24,
                "resized m1.large", 24));
    }

    @Test
    void unshelvedAfterItsProjectsRunsStoppedHasItsDroppedHoursRecoveredOnlyWhereNoFactExists() {
        // facts Oct 1-2 (48 h active, runs of Oct 2 and 3) and Oct 20-31 (288 h after the unshelve, run of Nov 1);
        // Oct 3-19 Nova no longer reports: recovered active Oct 3-4 (48 h) and offloaded Oct 5-19 (15 days, 360 h)
        assertThat(hoursOfOctober(UNSHELVED)).isEqualTo(expect("active m1.small", 336, "active m1.small recovered", 48,
                "shelved_offloaded m1.small recovered", 360));
        List<String> dropped = jdbi.withHandle(h -> h.createQuery(
                "SELECT detail FROM metrics.anomaly WHERE kind = 'dropped_hours' AND instance_id = :id")
                .bind("id", UNSHELVED).mapTo(String.class).list());
        assertThat(dropped).isNotEmpty().allSatisfy(detail -> assertThat(detail).contains("408 h"));
    }
}

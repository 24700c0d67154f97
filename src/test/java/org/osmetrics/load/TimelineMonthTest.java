package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.osmetrics.transform.WindowGrid;

/**
 * October 2026 of five servers, on daily windows, from actions built here and usage facts as Nova reports them,
 * through {@link TimelineLoader} and report.server_usage_by_state on a real PostgreSQL. Every expected figure is
 * computed by hand in the comments. (tl-extract proves the same over real HTTP against the simulator.)
 */
class TimelineMonthTest {
    static final String STOPPED = "00000000-0000-4000-8000-00000000000a";
    static final String SHELVED = "00000000-0000-4000-8000-00000000000b";
    static final String CONFIRMED = "00000000-0000-4000-8000-00000000000c";
    static final String REVERTED = "00000000-0000-4000-8000-00000000000d";
    static final String UNSHELVED = "00000000-0000-4000-8000-00000000000e";
    static final Instant AS_OF = Instant.parse("2026-11-01T06:00:00Z");

    private static TestDatabase db;
    private static Cloud cloud;
    private static TimelineLoader loader;

    /**
     * Facts as regular runs recorded them (Nova counts every hour from launched_at whatever the state, with the
     * flavor of that launch), but for UNSHELVED: recorded on Oct 1-2, then a first backfill after its unshelve on
     * Oct 20 (launched_at reset) got only Oct 20-31: Oct 3-19 are in no fact.
     */
    private static final String SETUP = """
            SELECT metrics.create_usage_fact_partition('2026-10-01');
            INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('keystone.test:5000/RegionOne', 86400);
            INSERT INTO metrics.run (command, arguments, cloud_id, scope, started_at, finished_at, status)
            VALUES ('test', 'timeline month', 1, '*', '2026-11-01 06:00Z', '2026-11-01 06:01Z', 'succeeded');
            INSERT INTO metrics.project (cloud_id, project_id, name) VALUES (1, 'p-1', 'one');
            INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb) VALUES
                (1, 'm1.small', 1, 2048, 20), (1, 'm1.large', 4, 8192, 80);
            INSERT INTO metrics.server (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state,
                                        uptime, first_seen, last_seen)
            SELECT 1, s.id::uuid, 'p-1', s.name, fl.flavor_id, s.launched::timestamptz, NULL, s.state, 0,
                   '2026-10-01 00:00Z', '2026-11-01 00:00Z'
            FROM (VALUES ('%1$s', 'stopped', 'm1.small', '2026-09-09 23:58Z', 'stopped'),
                         ('%2$s', 'shelved', 'm1.small', '2026-09-01 00:00Z', 'shelved_offloaded'),
                         ('%3$s', 'confirmed', 'm1.large', '2026-10-10 00:00Z', 'active'),
                         ('%4$s', 'reverted', 'm1.small', '2026-10-11 12:00Z', 'active'),
                         ('%5$s', 'unshelved', 'm1.small', '2026-10-20 00:00Z', 'active')) AS s(id, name, flavor, launched, state)
            JOIN metrics.flavor fl ON fl.name = s.flavor;
            INSERT INTO metrics.server_flavor_history (cloud_id, instance_id, started_at, flavor_id, first_seen, run_id)
            SELECT 1, h.id::uuid, h.since::timestamptz, fl.flavor_id, '2026-10-01 00:00Z', 1
            FROM (VALUES ('%1$s', '2026-09-09 23:58Z', 'm1.small'),
                         ('%2$s', '2026-09-01 00:00Z', 'm1.small'),
                         ('%3$s', '2026-09-01 00:00Z', 'm1.small'), ('%3$s', '2026-10-10 00:00Z', 'm1.large'),
                         ('%4$s', '2026-09-01 00:00Z', 'm1.small'), ('%4$s', '2026-10-10 00:00Z', 'm1.large'),
                         ('%4$s', '2026-10-11 12:00Z', 'm1.small'),
                         ('%5$s', '2026-09-01 00:00Z', 'm1.small'), ('%5$s', '2026-10-20 00:00Z', 'm1.small'))
                 AS h(id, since, flavor)
            JOIN metrics.flavor fl ON fl.name = h.flavor;
            INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus,
                                            memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state,
                                            provisional, run_id)
            SELECT 1, d, d + interval '1 day', f.id::uuid, 'p-1', fl.flavor_id, fl.vcpus, fl.memory_mb, fl.local_gb,
                   f.hours, f.hours * fl.vcpus, f.hours * fl.memory_mb, f.hours * fl.local_gb, 'active', false, 1
            FROM (VALUES ('%1$s', 'm1.small', '2026-10-01', '2026-10-31', 24.0::float8),
                         ('%2$s', 'm1.small', '2026-10-01', '2026-10-31', 24.0),
                         ('%3$s', 'm1.small', '2026-10-01', '2026-10-09', 24.0),
                         ('%3$s', 'm1.large', '2026-10-10', '2026-10-31', 24.0),
                         ('%4$s', 'm1.small', '2026-10-01', '2026-10-09', 24.0),
                         ('%4$s', 'm1.large', '2026-10-10', '2026-10-10', 24.0),
                         ('%4$s', 'm1.small', '2026-10-11', '2026-10-11', 12.0),
                         ('%4$s', 'm1.small', '2026-10-12', '2026-10-31', 24.0),
                         ('%5$s', 'm1.small', '2026-10-01', '2026-10-02', 24.0),
                         ('%5$s', 'm1.small', '2026-10-20', '2026-10-31', 24.0)) AS f(id, flavor, first_day, last_day, hours)
            JOIN metrics.flavor fl ON fl.name = f.flavor
            CROSS JOIN LATERAL generate_series(f.first_day::timestamp, f.last_day::timestamp, interval '1 day') AS g
            CROSS JOIN LATERAL (SELECT g AT TIME ZONE 'UTC' AS d) AS dd;
            INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop, provisional, microversion,
                                                 server_count, extracted_at, run_id)
            VALUES (1, '*', '2026-10-01 00:00Z', '2026-11-01 00:00Z', '2026-11-01 00:00Z', false, '2.93', 5,
                    '2026-11-01 06:00Z', 1);
            """.formatted(STOPPED, SHELVED, CONFIRMED, REVERTED, UNSHELVED);

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
        db.jdbi().useHandle(h -> h.createScript(SETUP).execute());
        cloud = new Cloud(1, "keystone.test:5000/RegionOne", WindowGrid.ofSeconds(86400));
        loader = new TimelineLoader(db.jdbi());
    }

    /** Each test starts without timelines (and without the fact one of them adds). */
    @BeforeEach
    void withoutTimelines() {
        db.jdbi().useHandle(h -> h.createScript("""
                DELETE FROM metrics.server_interval; DELETE FROM metrics.recovered_usage; DELETE FROM metrics.anomaly;
                DELETE FROM metrics.timeline_load;
                DELETE FROM metrics.usage_fact WHERE instance_id = '%s' AND window_start = '2026-10-10 00:00Z';"""
                .formatted(UNSHELVED)).execute());
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    static InstanceAction action(String id, String name, String start, String finish, String result) {
        return withEvent(id, name, "compute_" + name, start, finish, result);
    }

    static InstanceAction withEvent(String id, String name, String event, String start, String finish, String result) {
        Instant asked = Instant.parse(start);
        return new InstanceAction(id, "req-" + name + "-" + start, name, "p-1", "u-1", asked, null,
                "Error".equals(result) ? "Error" : null,
                List.of(new ActionEvent(event, asked, Instant.parse(finish), result)), true);
    }

    static List<ServerActions> month() {
        return List.of(
                new ServerActions(STOPPED, List.of(
                        action(STOPPED, "create", "2026-09-09T23:57:00Z", "2026-09-09T23:58:00Z", "Success"),
                        action(STOPPED, "stop", "2026-09-20T11:59:00Z", "2026-09-20T12:00:00Z", "Success"),
                        action(STOPPED, "start", "2026-10-03T07:59:00Z", "2026-10-03T08:00:00Z", "Success"),
                        action(STOPPED, "start", "2026-10-08T08:59:00Z", "2026-10-08T09:00:00Z", "Error"),
                        action(STOPPED, "stop", "2026-10-09T23:59:00Z", "2026-10-10T00:00:00Z", "Success")), false),
                new ServerActions(SHELVED, List.of(
                        action(SHELVED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(SHELVED, "shelve", "2026-10-09T23:58:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(SHELVED, "shelveOffload", "2026-10-12T11:59:00Z", "2026-10-12T12:00:00Z", "Success")), false),
                new ServerActions(CONFIRMED, List.of(
                        action(CONFIRMED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(CONFIRMED, "resize", "2026-10-09T23:55:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(CONFIRMED, "confirmResize", "2026-10-10T23:59:00Z", "2026-10-11T00:00:00Z", "Success")), false),
                new ServerActions(REVERTED, List.of(
                        action(REVERTED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(REVERTED, "resize", "2026-10-09T23:55:00Z", "2026-10-10T00:00:00Z", "Success"),
                        action(REVERTED, "revertResize", "2026-10-11T11:58:00Z", "2026-10-11T12:00:00Z", "Success")), false),
                new ServerActions(UNSHELVED, List.of(
                        action(UNSHELVED, "create", "2026-08-31T23:59:00Z", "2026-09-01T00:00:00Z", "Success"),
                        action(UNSHELVED, "shelve", "2026-10-04T23:58:00Z", "2026-10-05T00:00:00Z", "Success"),
                        withEvent(UNSHELVED, "unshelve", "compute_unshelve_instance", "2026-10-19T23:57:00Z",
                                "2026-10-20T00:00:00Z", "Success")), false));
    }

    /** Per "state flavor_as_run recovered": hours of the server in October, from the view. */
    private Map<String, BigDecimal> october(String id) {
        Map<String, BigDecimal> hours = new TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("""
                SELECT vm_state || ' ' || coalesce(flavor_as_run, '?') || CASE WHEN recovered THEN ' recovered' ELSE '' END AS k,
                       sum(hours) AS hours
                FROM report.server_usage_by_state
                WHERE instance_id = CAST(:id AS uuid) AND window_start >= '2026-10-01 00:00Z' AND window_start < '2026-11-01 00:00Z'
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
    void theMonthOfEachServerPerStateEqualsTheHandComputation() {
        TimelineLoader.Result result = loader.load(cloud, 1, month(), AS_OF);

        assertThat(result.servers()).isEqualTo(5);
        // stopped until Oct 3 08:00 (56 h), active to Oct 10 00:00 (160 h; the failed start of Oct 8 changes
        // nothing), stopped to the end (22 days, 528 h): 744 h as Nova counts them
        assertThat(october(STOPPED)).isEqualTo(expect("stopped m1.small", 584, "active m1.small", 160));
        // active Oct 1-9 (216 h), shelved Oct 10 to 12 12:00 (60 h), offloaded from then (19.5 days, 468 h)
        assertThat(october(SHELVED)).isEqualTo(expect("active m1.small", 216, "shelved m1.small", 60,
                "shelved_offloaded m1.small", 468));
        // active small Oct 1-9 (216 h), resized large on Oct 10 (24 h), active large after the confirm (504 h)
        assertThat(october(CONFIRMED)).isEqualTo(expect("active m1.small", 216, "resized m1.large", 24,
                "active m1.large", 504));
        // active small Oct 1-9 (216 h), resized large Oct 10 (24 h), and Oct 11 00:00-12:00 resized too, but the
        // revert reset launched_at to 12:00: Nova's fact of Oct 11 holds 12 h, all after the revert, so active
        // small 12 + 480 h (Oct 12-31); the 12 h Nova dropped are not recovered: the window has a fact
        assertThat(october(REVERTED)).isEqualTo(expect("active m1.small", 708, "resized m1.large", 24));
        // facts Oct 1-2 (48 h active) and Oct 20-31 (288 h active after the unshelve); Oct 3-19 in no fact:
        // recovered active Oct 3-4 (48 h) and offloaded Oct 5-19 (15 days, 360 h)
        assertThat(october(UNSHELVED)).isEqualTo(expect("active m1.small", 336, "active m1.small recovered", 48,
                "shelved_offloaded m1.small recovered", 360));
        assertThat(result.recoveredHours()).isEqualByComparingTo("408");
        assertThat(result.droppedHours()).isEqualByComparingTo("408");
    }

    @Test
    void theUnshelvedServersDroppedHoursAreOneAnomalyCarryingThem() {
        loader.load(cloud, 1, month(), AS_OF);

        List<Map<String, Object>> anomalies = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT instance_id, kind, detail, range_start, range_end FROM metrics.anomaly ORDER BY anomaly_id").mapToMap().list());
        assertThat(anomalies).singleElement().satisfies(row -> {
            assertThat(row.get("kind")).isEqualTo("dropped_hours");
            assertThat(row.get("instance_id")).isEqualTo(UNSHELVED);
            assertThat((String) row.get("detail")).contains("408 h between 2026-10-03T00:00:00Z").contains("408 h recovered")
                    .contains("launched_at moved to 2026-10-20T00:00:00Z");
        });
    }

    @Test
    void loadingTheSameActionsAgainGivesTheSameRowsAndNoMoreAnomalies() {
        loader.load(cloud, 1, month(), AS_OF);
        List<Map<String, Object>> first = snapshot();

        loader.load(cloud, 1, month(), AS_OF);

        assertThat(snapshot()).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM metrics.timeline_load")).isEqualTo(2);
    }

    @Test
    void aServerWhoseActionsAnswer404KeepsItsRecordedTimelineAndTheLoadCompletes() {
        loader.load(cloud, 1, month(), AS_OF);
        long intervals = count("SELECT count(*) FROM metrics.server_interval WHERE instance_id = '" + SHELVED + "'");

        TimelineLoader.Result result = loader.load(cloud, 1, List.of(ServerActions.unknown(SHELVED),
                new ServerActions(STOPPED, List.of(action(STOPPED, "hibernate", "2026-10-20T00:00:00Z", "2026-10-20T00:00:01Z",
                        "Success")), false)), AS_OF);

        assertThat(result.unknownToNova()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM metrics.server_interval WHERE instance_id = '" + SHELVED + "'"))
                .isEqualTo(intervals).isPositive();
        assertThat(october(SHELVED).get("shelved m1.small")).isEqualByComparingTo("60");
        List<String> problems = db.jdbi().withHandle(h -> h.createQuery("SELECT kind || ': ' || detail FROM metrics.anomaly"
                + " WHERE kind LIKE 'timeline%' ORDER BY kind").mapTo(String.class).list());
        assertThat(problems)
                .satisfiesExactly(
                        unknownAction -> assertThat(unknownAction).startsWith("timeline_unknown_action: unknown action 'hibernate'"),
                        gone -> assertThat(gone).startsWith("timeline_unknown_to_nova: Nova no longer knows server " + SHELVED));
        // once more: the 404 is not recorded twice
        loader.load(cloud, 1, List.of(ServerActions.unknown(SHELVED)), AS_OF);
        assertThat(count("SELECT count(*) FROM metrics.anomaly WHERE kind = 'timeline_unknown_to_nova'")).isEqualTo(1);
    }

    @Test
    void recoveredHoursNeverLieOnTopOfAFactLoadedLater() {
        loader.load(cloud, 1, month(), AS_OF);
        // a later import brings Nova's fact of Oct 10 for the unshelved server
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus,
                    memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours, state, provisional, run_id)
                VALUES (1, '2026-10-10 00:00Z', '2026-10-11 00:00Z', CAST(? AS uuid), 'p-1', 1, 1, 2048, 20, 24, 24, 49152, 480,
                        'shelved_offloaded', false, 1)""", UNSHELVED));

        assertThat(october(UNSHELVED)).isEqualTo(expect("active m1.small", 336, "active m1.small recovered", 48,
                "shelved_offloaded m1.small", 24, "shelved_offloaded m1.small recovered", 336));
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private List<Map<String, Object>> snapshot() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'i' AS t, instance_id::text || valid_from::text || coalesce(valid_to::text, '-') || vm_state
                       || coalesce(flavor_id::text, '?') || coalesce(assumption, '') AS r FROM metrics.server_interval
                UNION ALL SELECT 'r', instance_id::text || window_start::text || vm_state || hours::text FROM metrics.recovered_usage
                UNION ALL SELECT 'a', coalesce(instance_id, '') || kind || detail FROM metrics.anomaly
                ORDER BY 1, 2""").mapToMap().list());
    }
}

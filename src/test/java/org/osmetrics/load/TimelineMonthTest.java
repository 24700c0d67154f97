package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osmetrics.load.TimelineMonth.AS_OF;
import static org.osmetrics.load.TimelineMonth.SETUP;
import static org.osmetrics.load.TimelineMonth.SHELVED;
import static org.osmetrics.load.TimelineMonth.STOPPED;
import static org.osmetrics.load.TimelineMonth.CONFIRMED;
import static org.osmetrics.load.TimelineMonth.REVERTED;
import static org.osmetrics.load.TimelineMonth.UNSHELVED;
import static org.osmetrics.load.TimelineMonth.action;
import static org.osmetrics.load.TimelineMonth.month;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;

/**
 * October 2026 of five servers, on daily windows, from actions built here and usage facts as Nova reports them,
 * through {@link TimelineLoader} and report.server_usage_by_state on a real PostgreSQL. Every expected figure is
 * computed by hand in the comments. (TimelineMonthOverHttpTest proves the same over real HTTP against the simulator.)
 */
class TimelineMonthTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();
    private static Cloud cloud;
    private static TimelineLoader loader;

    @BeforeAll
    static void setUp() {
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

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.load.NovaModel.Instance;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.transform.UsageTransform;

/**
 * The loader writes a range's facts as it reads them from the servers' spans, a day of windows at a time into
 * each month's partition, sending the rollup counts in parts: one long call gives exactly the rows that the
 * same days called one by one give (the facts, metrics.usage_rollup, the partitions), and loading it again
 * over them writes nothing.
 */
class StreamedLoadTest {
    private static final Instant FROM = Instant.parse("2026-09-28T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-10-06T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-12-01T00:00:00Z");
    /** The facts of a cloud without its numbering (cloud, flavor ids and run), in key order. */
    private static final String FACTS = "SELECT f.instance_id, f.window_start, f.window_end, f.project_id, fl.name AS flavor,"
            + " f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours, f.memory_mb_hours, f.local_gb_hours, f.state,"
            + " f.provisional, f.tableoid::regclass::text AS partition"
            + " FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id"
            + " WHERE f.cloud_id = :cloud ORDER BY f.window_start, f.instance_id";
    private static final String ROLLUP = "SELECT r.window_start, r.project_id, fl.name AS flavor, r.vcpus, r.memory_mb,"
            + " r.local_gb, r.hours, r.provisional, r.facts FROM metrics.usage_rollup r"
            + " JOIN metrics.flavor fl ON fl.flavor_id = r.flavor_id WHERE r.cloud_id = :cloud"
            + " ORDER BY r.window_start, r.project_id, fl.name, r.hours, r.provisional";
    private static final String GROUPED_FACTS = "SELECT f.window_start, f.project_id, fl.name AS flavor, f.vcpus,"
            + " f.memory_mb, f.local_gb, f.hours, f.provisional, count(*) AS facts FROM metrics.usage_fact f"
            + " JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id WHERE f.cloud_id = :cloud"
            + " GROUP BY f.window_start, f.project_id, fl.name, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.provisional"
            + " ORDER BY f.window_start, f.project_id, fl.name, f.hours, f.provisional";

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;
    private static RunLedger ledger;

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
        ledger = new RunLedger(jdbi, Clock.fixed(LATER, ZoneOffset.UTC));
    }

    /** Servers of two projects living across the month's end: always on, gone mid-range, launched at odd moments. */
    private static List<Instance> fleet() {
        return List.of(
                NovaModel.instance(1, "p-a", "2026-09-01T00:00:00Z"),
                NovaModel.instance(2, "p-a", "2026-09-29T07:12:00.500000Z"),
                NovaModel.instance(3, "p-b", "2026-09-30T22:30:00Z").deleted(Instant.parse("2026-10-01T01:45:10Z")),
                NovaModel.instance(4, "p-b", "2026-10-05T23:59:59Z"),
                NovaModel.instance(5, "p-b", "2026-08-01T00:00:00Z").deleted(Instant.parse("2026-10-03T12:00:00Z")));
    }

    private static LoadResult load(UsageLoader loader, Cloud cloud, Instant start, Instant end) {
        long run = ledger.start("test", "", cloud.cloudId(), "*");
        return loader.load(cloud, UsageTransform.transform(NovaModel.extract(Scope.allProjects(), start, end, LATER, fleet()), cloud.grid()), LoadOptions.DEFAULT, run);
    }

    private static Cloud cloud(String key, WindowGrid grid) {
        return new CloudRepository(jdbi).resolve(key, grid);
    }

    private static List<Map<String, Object>> rows(String sql, Cloud cloud) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("cloud", cloud.cloudId()).mapToMap().list());
    }

    @Test
    void oneCallAcrossTheMonthsEndLoadsTheRowsThatDailyCallsLoadAndAgainWritesNothing() {
        for (WindowGrid grid : List.of(WindowGrid.ofSeconds(3600), WindowGrid.ofSeconds(86_400))) {
            Cloud daily = cloud("daily-" + grid.label(), grid);
            long dailyRows = 0;
            for (TimeRange day : TimeRange.split(FROM, TO, Duration.ofDays(1))) {
                dailyRows += load(new UsageLoader(jdbi), daily, day.start(), day.end()).rows();
            }
            // rollup counts sent after every day (the most parts) and only at the end: the same rollup
            for (int flushGroups : new int[] {1, BatchLoad.ROLLUP_FLUSH_GROUPS}) {
                Cloud once = cloud("one-call-" + grid.label() + "-" + flushGroups, grid);
                LoadResult result = load(new UsageLoader(jdbi, flushGroups), once, FROM, TO);

                assertThat(result.rows()).as(grid.label()).isEqualTo(dailyRows);
                List<Map<String, Object>> facts = rows(FACTS, once);
                assertThat(facts).hasSize((int) dailyRows).isEqualTo(rows(FACTS, daily));
                assertThat(facts).extracting(row -> row.get("partition")).as("both months' partitions")
                        .contains("metrics.usage_fact_y2026m09", "metrics.usage_fact_y2026m10");
                assertThat(rows(ROLLUP, once)).isEqualTo(rows(ROLLUP, daily)).isEqualTo(rows(GROUPED_FACTS, once));
            }

            LoadResult again = load(new UsageLoader(jdbi), daily, FROM, TO);
            assertThat(again.rows()).as("the long call over the daily calls' rows").isZero();
            assertThat(again.restatements()).isZero();
            assertThat(rows(FACTS, daily)).hasSize((int) dailyRows);
            assertThat(rows(ROLLUP, daily)).isEqualTo(rows(GROUPED_FACTS, daily));
        }
    }
}

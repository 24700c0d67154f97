package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * report.server_usage_by_state over the hand-computed small cloud: without timelines every fact is one row counted
 * as Nova counts it; with intervals each fact's hours are divided among the states to the last digit.
 */
class ServerUsageByStateTest {
    private static final String GPU_BOX = "00000000-0000-0000-0000-000000000004";
    private static final String WEB_1 = "00000000-0000-0000-0000-000000000001";

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    private static void withIntervals(String sql, Runnable check) {
        db.jdbi().useHandle(h -> h.execute(sql));
        try {
            check.run();
        } finally {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.server_interval"));
        }
    }

    /** Per fact: how many rows, and whether the numeric sums over states equal the fact (hours as numeric x sizes). */
    private static List<Map<String, Object>> mismatches() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT f.instance_id, f.window_start, f.hours, s.hours AS split
                FROM metrics.usage_fact f
                LEFT JOIN (SELECT cloud_id, instance_id, window_start, sum(hours) AS hours, sum(vcpu_hours) AS vcpu_hours,
                                  sum(memory_mb_hours) AS memory_mb_hours, sum(local_gb_hours) AS local_gb_hours
                           FROM report.server_usage_by_state WHERE NOT recovered
                           GROUP BY 1, 2, 3) s
                       ON s.cloud_id = f.cloud_id AND s.instance_id = f.instance_id AND s.window_start = f.window_start
                WHERE s.hours IS DISTINCT FROM f.hours::numeric
                   OR s.vcpu_hours IS DISTINCT FROM f.hours::numeric * f.vcpus
                   OR s.memory_mb_hours IS DISTINCT FROM f.hours::numeric * f.memory_mb
                   OR s.local_gb_hours IS DISTINCT FROM f.hours::numeric * f.local_gb""").mapToMap().list());
    }

    @Test
    void withoutTimelinesEveryFactIsOneActiveRowOfUnknownStateWithTheFactsNumbers() {
        long facts = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.usage_fact").mapTo(Long.class).one());
        List<Map<String, Object>> kinds = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT vm_state, state_known, recovered, count(*) AS n FROM report.server_usage_by_state
                GROUP BY 1, 2, 3""").mapToMap().list());

        assertThat(kinds).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("vm_state", "active").containsEntry("state_known", false)
                    .containsEntry("recovered", false).containsEntry("n", facts);
        });
        assertThat(mismatches()).isEmpty();
    }

    @Test
    void aShelveMidWindowSplitsTheOddFactOfTheGpuBoxExactlyAndTheLaterDaysWhole() {
        // started 2026-10-20T06:29:23.123456Z (its fact: 63036876544 us / 3600e6 h), shelved 12:00, offloaded 18:00
        withIntervals("""
                INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to, vm_state, flavor_id) VALUES
                  (1, '%1$s', '2026-10-20 06:29:23.123456Z', '2026-10-20 12:00Z', 'active', 3),
                  (1, '%1$s', '2026-10-20 12:00Z', '2026-10-20 18:00Z', 'shelved', 3),
                  (1, '%1$s', '2026-10-20 18:00Z', NULL, 'shelved_offloaded', 3)""".formatted(GPU_BOX), () -> {
            List<Map<String, Object>> day = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT vm_state, state_known, hours, flavor_as_run FROM report.server_usage_by_state
                    WHERE instance_id = CAST(:id AS uuid) AND window_start = '2026-10-20 00:00Z' ORDER BY vm_state""")
                    .bind("id", GPU_BOX).mapToMap().list());
            assertThat(day).extracting(row -> row.get("vm_state") + " " + row.get("state_known"))
                    .containsExactly("active true", "shelved true", "shelved_offloaded true");
            BigDecimal total = day.stream().map(row -> (BigDecimal) row.get("hours")).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal fact = db.jdbi().withHandle(h -> h.createQuery("SELECT hours::numeric FROM metrics.usage_fact"
                    + " WHERE instance_id = CAST(:id AS uuid) AND window_start = '2026-10-20 00:00Z'").bind("id", GPU_BOX)
                    .mapTo(BigDecimal.class).one());
            assertThat(total).isEqualByComparingTo(fact);
            // 6 h shelved and 6 h offloaded (to the rounding of the fact's 15 digits); the rest active
            assertThat((BigDecimal) day.get(1).get("hours")).isCloseTo(new BigDecimal("6"), org.assertj.core.data.Offset.offset(new BigDecimal("1e-9")));
            assertThat((BigDecimal) day.get(2).get("hours")).isCloseTo(new BigDecimal("6"), org.assertj.core.data.Offset.offset(new BigDecimal("1e-9")));
            assertThat(day.get(0).get("flavor_as_run")).isEqualTo("gpu.xl");
            List<Map<String, Object>> later = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT vm_state, sum(hours) AS hours FROM report.server_usage_by_state
                    WHERE instance_id = CAST(:id AS uuid) AND window_start > '2026-10-20 00:00Z' GROUP BY 1""")
                    .bind("id", GPU_BOX).mapToMap().list());
            assertThat(later).singleElement().satisfies(row -> {
                assertThat(row.get("vm_state")).isEqualTo("shelved_offloaded");
                assertThat((BigDecimal) row.get("hours")).isEqualByComparingTo("264");
            });
            assertThat(mismatches()).isEmpty();
        });
    }

    @Test
    void timeBeforeTheFirstIntervalStaysActiveOfUnknownStateAndThirdsStillAddUp() {
        // web-1: timeline from 2026-10-05 08:00 (stopped), 16:00 active again; the first days have no interval
        withIntervals("""
                INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to, vm_state, flavor_id) VALUES
                  (1, '%1$s', '2026-10-05 08:00Z', '2026-10-05 16:00Z', 'stopped', 1),
                  (1, '%1$s', '2026-10-05 16:00Z', NULL, 'active', 1)""".formatted(WEB_1), () -> {
            List<Map<String, Object>> day = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT vm_state, state_known, hours FROM report.server_usage_by_state
                    WHERE instance_id = CAST(:id AS uuid) AND window_start = '2026-10-05 00:00Z'
                    ORDER BY state_known, vm_state""").bind("id", WEB_1).mapToMap().list());
            assertThat(day).extracting(row -> row.get("vm_state") + " " + row.get("state_known") + " " + row.get("hours"))
                    .containsExactly("active false 8", "active true 8", "stopped true 8");
            long unknownEarlier = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM report.server_usage_by_state
                    WHERE instance_id = CAST(:id AS uuid) AND window_start < '2026-10-05 00:00Z' AND NOT state_known""")
                    .bind("id", WEB_1).mapTo(Long.class).one());
            assertThat(unknownEarlier).isEqualTo(11 + 4);
            assertThat(mismatches()).isEmpty();
        });
    }
}

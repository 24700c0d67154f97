package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * report.project_usage_monthly and project_usage_daily read the rollup (metrics.usage_rollup) for their quantities
 * and count the servers from the facts by hashing: every row, to the last digit, is what the former definitions
 * computed from the facts one by one (kept here as queries), on clouds in UTC, Europe/Madrid (a DST change in the
 * data's month) and Asia/Kolkata (a half-hour offset), with odd hours values, provisional windows and projects
 * without a project row.
 */
class ProjectUsageFromRollupTest {
    /** project_usage_monthly as it was: every fact of the month summed one by one, servers counted distinct. */
    static final String MONTHLY_FROM_FACTS = """
            SELECT c.cloud_key                                        AS cloud,
                   u.project_id,
                   p.name                                             AS project_name,
                   to_char(m.month_local, 'YYYY-MM')                   AS month,
                   m.month_start,
                   m.month_end,
                   u.vcpu_hours,
                   u.ram_gb_hours,
                   u.disk_gb_hours,
                   u.server_hours,
                   u.server_count,
                   u.provisional
            FROM (SELECT cm.cloud_id,
                         cm.time_zone,
                         g                                                 AS month_local,
                         g AT TIME ZONE cm.time_zone                       AS month_start,
                         (g + interval '1 month') AT TIME ZONE cm.time_zone AS month_end
                  FROM metrics.cloud cm
                  CROSS JOIN LATERAL generate_series(timestamp '2000-01-01', date_trunc('month', now() AT TIME ZONE cm.time_zone),
                                                     interval '1 month') AS g) m
            CROSS JOIN LATERAL (
                -- one month at a time, so that partitions outside it are pruned at execution
                SELECT f.cloud_id,
                       f.project_id,
                       trim_scale(sum(f.hours::numeric * f.vcpus))        AS vcpu_hours,
                       trim_scale(sum(f.hours::numeric * f.memory_mb) * 0.0009765625) AS ram_gb_hours,
                       trim_scale(sum(f.hours::numeric * f.local_gb))     AS disk_gb_hours,
                       trim_scale(sum(f.hours::numeric))                  AS server_hours,
                       count(DISTINCT f.instance_id)                      AS server_count,
                       bool_or(f.provisional)                             AS provisional
                FROM metrics.usage_fact f
                WHERE f.window_start >= m.month_start AND f.window_start < m.month_end AND f.cloud_id = m.cloud_id
                GROUP BY f.cloud_id, f.project_id) u
            JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
            LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id""";
    /** project_usage_daily as it was. */
    static final String DAILY_FROM_FACTS = """
            SELECT c.cloud_key                                        AS cloud,
                   u.project_id,
                   p.name                                             AS project_name,
                   (u.day_start AT TIME ZONE m.time_zone)::date       AS day,
                   u.day_start,
                   to_char(m.month_local, 'YYYY-MM')                   AS month,
                   m.month_start,
                   u.vcpu_hours,
                   u.ram_gb_hours,
                   u.disk_gb_hours,
                   u.server_hours,
                   u.server_count,
                   u.provisional
            FROM (SELECT cm.cloud_id,
                         cm.time_zone,
                         g                                                 AS month_local,
                         g AT TIME ZONE cm.time_zone                       AS month_start,
                         (g + interval '1 month') AT TIME ZONE cm.time_zone AS month_end
                  FROM metrics.cloud cm
                  CROSS JOIN LATERAL generate_series(timestamp '2000-01-01', date_trunc('month', now() AT TIME ZONE cm.time_zone),
                                                     interval '1 month') AS g) m
            CROSS JOIN LATERAL (
                -- one month at a time, so that partitions outside it are pruned at execution
                SELECT f.cloud_id,
                       f.project_id,
                       date_trunc('day', f.window_start, m.time_zone)     AS day_start,
                       trim_scale(sum(f.hours::numeric * f.vcpus))        AS vcpu_hours,
                       trim_scale(sum(f.hours::numeric * f.memory_mb) * 0.0009765625) AS ram_gb_hours,
                       trim_scale(sum(f.hours::numeric * f.local_gb))     AS disk_gb_hours,
                       trim_scale(sum(f.hours::numeric))                  AS server_hours,
                       count(DISTINCT f.instance_id)                      AS server_count,
                       bool_or(f.provisional)                             AS provisional
                FROM metrics.usage_fact f
                WHERE f.window_start >= m.month_start AND f.window_start < m.month_end AND f.cloud_id = m.cloud_id
                GROUP BY f.cloud_id, f.project_id, date_trunc('day', f.window_start, m.time_zone)) u
            JOIN metrics.cloud c ON c.cloud_id = u.cloud_id
            LEFT JOIN metrics.project p ON p.cloud_id = u.cloud_id AND p.project_id = u.project_id""";

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeAll
    static void load() {
        SmallCloudData.execute(db.test(), SmallCloudData.script("odd-clouds.sql"));
        SmallCloudData.execute(db.test(), """
                UPDATE metrics.cloud SET time_zone = 'Europe/Madrid' WHERE cloud_id = 2;
                UPDATE metrics.cloud SET time_zone = 'Asia/Kolkata' WHERE cloud_id = 3;
                UPDATE metrics.usage_fact SET hours = hours / 3 WHERE instance_id::text LIKE '%1';
                UPDATE metrics.usage_fact SET provisional = true WHERE window_start >= '2026-10-25';
                """);
    }

    private static List<String> rows(String sql) {
        return db.jdbi().withHandle(handle -> handle.createQuery("SELECT v::text FROM (" + sql + ") v ORDER BY 1")
                .mapTo(String.class).list());
    }

    @Test
    void monthlyRowsFromTheRollupAreTheFactsSummedOneByOne() {
        List<String> fromFacts = rows(MONTHLY_FROM_FACTS);
        assertThat(fromFacts).hasSizeGreaterThan(5);
        assertThat(rows("SELECT * FROM report.project_usage_monthly")).isEqualTo(fromFacts);
        assertThat(rows("SELECT * FROM report.project_usage_monthly WHERE month = '2026-10' AND project_id = 'alpha'"))
                .isEqualTo(rows("SELECT * FROM (" + MONTHLY_FROM_FACTS + ") m WHERE month = '2026-10' AND project_id = 'alpha'"))
                .isNotEmpty();
    }

    @Test
    void dailyRowsFromTheRollupAreTheFactsSummedOneByOne() {
        List<String> fromFacts = rows(DAILY_FROM_FACTS);
        assertThat(fromFacts).hasSizeGreaterThan(20);
        assertThat(rows("SELECT * FROM report.project_usage_daily")).isEqualTo(fromFacts);
        assertThat(rows("SELECT * FROM report.project_usage_daily WHERE month_start >= '2026-10-01'"
                + " AND day_start >= '2026-10-25' AND day_start < '2026-10-27'"))
                .isEqualTo(rows("SELECT * FROM (" + DAILY_FROM_FACTS + ") d WHERE month_start >= '2026-10-01'"
                        + " AND day_start >= '2026-10-25' AND day_start < '2026-10-27'"))
                .isNotEmpty();
    }
}

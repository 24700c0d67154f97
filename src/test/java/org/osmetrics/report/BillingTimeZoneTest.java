package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * Months in a cloud's billing time zone: a second cloud on a 1h grid whose one server (1 vCPU) ran
 * 2026-09-30 20:00Z..2026-10-01 04:00Z and 2026-10-31 21:00Z..2026-11-01 02:00Z, loaded completely from
 * 2026-09-30 to 2026-11-02. Europe/Madrid is UTC+2 until 2026-10-25 and UTC+1 after, so its October is
 * [2026-09-30 22:00Z, 2026-10-31 23:00Z): 2 + 4 + 2 = 8 server-hours; the UTC October holds 4 + 3 = 7.
 */
class BillingTimeZoneTest {
    private static final String CLOUD = "https://madrid.example:5000/v3#Madrid";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeAll
    static void loadAnHourlyCloud() {
        SmallCloudData.execute(db.test(), """
                SELECT metrics.create_usage_fact_partition(DATE '2026-11-01');
                INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('%s', 3600);
                INSERT INTO metrics.project (cloud_id, project_id, name) SELECT cloud_id, 'p-madrid', 'Madrid'
                    FROM metrics.cloud WHERE cloud_key = '%s';
                INSERT INTO metrics.flavor (cloud_id, name, vcpus, memory_mb, local_gb)
                    SELECT cloud_id, 'm1.tiny', 1, 1024, 0 FROM metrics.cloud WHERE cloud_key = '%s';
                INSERT INTO metrics.server (cloud_id, instance_id, project_id, name, flavor_id, started_at, ended_at, state,
                                            uptime, first_seen, last_seen)
                    SELECT c.cloud_id, '00000000-0000-0000-0000-0000000000aa', 'p-madrid', 'm', f.flavor_id,
                           '2026-09-30 20:00Z', '2026-11-01 02:00Z', 'terminated', 0, '2026-09-30 20:00Z', '2026-11-01 02:00Z'
                    FROM metrics.cloud c JOIN metrics.flavor f ON f.cloud_id = c.cloud_id WHERE c.cloud_key = '%s';
                INSERT INTO metrics.usage_fact (cloud_id, window_start, window_end, instance_id, project_id, flavor_id, vcpus,
                                                memory_mb, local_gb, hours, vcpu_hours, memory_mb_hours, local_gb_hours,
                                                state, provisional, run_id)
                    SELECT c.cloud_id, w, w + interval '1 hour', '00000000-0000-0000-0000-0000000000aa', 'p-madrid',
                           f.flavor_id, 1, 1024, 0, 1.0, 1.0, 1024.0, 0.0, 'active', false, 1
                    FROM metrics.cloud c JOIN metrics.flavor f ON f.cloud_id = c.cloud_id,
                         (SELECT generate_series(timestamptz '2026-09-30 20:00Z', timestamptz '2026-10-01 03:00Z', interval '1 hour')
                          UNION ALL
                          SELECT generate_series(timestamptz '2026-10-31 21:00Z', timestamptz '2026-11-01 01:00Z', interval '1 hour')) h(w)
                    WHERE c.cloud_key = '%s';
                INSERT INTO metrics.project_server (cloud_id, project_id, instance_id)
                    SELECT cloud_id, 'p-madrid', '00000000-0000-0000-0000-0000000000aa' FROM metrics.cloud WHERE cloud_key = '%s';
                INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop, provisional, microversion,
                                                     server_count, extracted_at, run_id)
                    SELECT cloud_id, '*', '2026-09-30 00:00Z', '2026-11-02 00:00Z', '2026-11-02 00:00Z', false, '2.40', 1, now(), 1
                    FROM metrics.cloud WHERE cloud_key = '%s';
                """.formatted(CLOUD, CLOUD, CLOUD, CLOUD, CLOUD, CLOUD, CLOUD));
    }

    private static Map<String, Object> october() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT min(month_start) AS month_start,"
                + " max(month_end) AS month_end, sum(quantity) AS quantity, min(completeness) AS completeness"
                + " FROM report.invoice_monthly WHERE cloud = :c AND month = '2026-10' AND resource = 'vcpu_hour'")
                .bind("c", CLOUD).mapToMap().one());
    }

    private static Instant instant(Object value) {
        return ((OffsetDateTime) db.jdbi().withHandle(h -> h.createQuery("SELECT CAST(:v AS timestamptz)")
                .bind("v", value.toString()).mapTo(OffsetDateTime.class).one())).toInstant();
    }

    @Test
    void madridMonthsDifferFromUtcMonthsByTheRightHours() {
        Map<String, Object> utc = october();
        BigDecimal utcMonthly = db.jdbi().withHandle(h -> h.createQuery("SELECT server_hours FROM report.project_usage_monthly"
                + " WHERE cloud = :c AND month = '2026-10'").bind("c", CLOUD).mapTo(BigDecimal.class).one());
        assertThat(utcMonthly).isEqualByComparingTo("7");
        assertThat(instant(utc.get("month_start"))).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat((BigDecimal) utc.get("quantity")).isEqualByComparingTo("7");

        CommandRun set = CommandRun.of(Map.of(), "clouds", "set", CLOUD, "--time-zone", "Europe/Madrid",
                "--db-url", db.jdbcUrl());
        assertThat(set.exitCode()).as(set.err()).isZero();

        Map<String, Object> madrid = october();
        assertThat(instant(madrid.get("month_start"))).isEqualTo(Instant.parse("2026-09-30T22:00:00Z"));
        assertThat(instant(madrid.get("month_end"))).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat((BigDecimal) madrid.get("quantity")).isEqualByComparingTo("8");
        assertThat(madrid.get("completeness")).isEqualTo("complete");
        Map<String, Object> day = db.jdbi().withHandle(h -> h.createQuery("SELECT period_start, status FROM report.completeness"
                + " WHERE cloud = :c AND period = 'day' AND label = '2026-10-26'").bind("c", CLOUD).mapToMap().one());
        assertThat(instant(day.get("period_start"))).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        BigDecimal monthly = db.jdbi().withHandle(h -> h.createQuery("SELECT server_hours FROM report.project_usage_monthly"
                + " WHERE cloud = :c AND month = '2026-10'").bind("c", CLOUD).mapTo(BigDecimal.class).one());
        assertThat(monthly).isEqualByComparingTo("8");
        BigDecimal firstDay = db.jdbi().withHandle(h -> h.createQuery("SELECT server_hours FROM report.project_usage_daily"
                + " WHERE cloud = :c AND month = '2026-10' AND day = DATE '2026-10-01'").bind("c", CLOUD)
                .mapTo(BigDecimal.class).one());
        assertThat(firstDay).isEqualByComparingTo("6");   // 2026-09-30 22:00Z .. 2026-10-01 04:00Z
        // the small daily cloud stays on UTC months, its figures unchanged
        BigDecimal small = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(amount) FROM report.invoice_monthly"
                + " WHERE cloud <> :c AND month = '2026-10'").bind("c", CLOUD).mapTo(BigDecimal.class).one());
        assertThat(small).isEqualByComparingTo("779.09");   // as ReportViewsTest computes it
    }

    @Test
    void aZoneWithHalfHourOffsetsNeedsAFinerGridThanOneHour() {
        CommandRun run = CommandRun.of(Map.of(), "clouds", "set", CLOUD, "--time-zone", "Asia/Kolkata", "--db-url", db.jdbcUrl());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("+05:30").contains("1h").contains("30m");
    }

    private static CommandRun export(String... arguments) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("export"));
        args.addAll(java.util.List.of(arguments));
        args.addAll(java.util.List.of("--quiet", "--db-url", db.jdbcUrl()));
        return CommandRun.of(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void exportMonthIsTheMonthInTheCloudsBillingTimeZoneAsInvoiceReadsIt() {
        CommandRun set = CommandRun.of(Map.of(), "clouds", "set", CLOUD, "--time-zone", "Europe/Madrid",
                "--db-url", db.jdbcUrl());
        assertThat(set.exitCode()).as(set.err()).isZero();
        try {
            for (String report : java.util.List.of("server_usage", "project_usage_daily", "invoice_monthly")) {
                CommandRun month = export("--report", report, "--cloud", CLOUD, "--month", "2026-10");
                CommandRun range = export("--report", report, "--cloud", CLOUD, "--from", "2026-09-30T22:00:00Z",
                        "--to", "2026-10-31T23:00:00Z");
                assertThat(month.exitCode()).as(month.err()).isZero();
                assertThat(month.out()).as(report).isEqualTo(range.out());
            }
            // Madrid's October: 2 + 4 + 2 windows of the server
            assertThat(export("--report", "server_usage", "--cloud", CLOUD, "--month", "2026-10").out().split("\r\n"))
                    .hasSize(1 + 8);
            assertThat(export("--report", "invoice_monthly", "--cloud", CLOUD, "--month", "2026-10").out())
                    .contains(",2026-10,").doesNotContain(",2026-09,", ",2026-11,");

            // the small cloud's months are UTC months: one --month cannot mean both
            CommandRun both = export("--report", "server_usage", "--month", "2026-10");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.err()).contains("--month 2026-10", CLOUD + ": 2026-09-30T22:00:00Z", "--cloud KEY picks one");
            assertThat(both.out()).isEmpty();
        } finally {
            assertThat(CommandRun.of(Map.of(), "clouds", "set", CLOUD, "--time-zone", "UTC", "--db-url", db.jdbcUrl())
                    .exitCode()).isZero();
        }
    }
}

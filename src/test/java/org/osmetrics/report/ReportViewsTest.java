package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * Every report view against hand-computed figures for the small cloud of {@code small-cloud.sql}
 * (daily windows, October 2026): S1 m1.small (1 vCPU, 2 GiB, 20 GB) all month; S2 m1.large (4, 8 GiB, 80 GB)
 * deleted 2026-10-15T12:00Z; S3 m1.small resized to m1.large on 2026-10-10; S4 gpu.xl (8, 32 GiB, 0 GB)
 * from 2026-10-20T06:29:23.123456Z; S5 2.5 h on 2026-10-03. vCPU price 0.010 EUR until 2026-10-16, 0.012
 * after; RAM 0.002, disk 0.0001; gpu.xl 2.50 per server-hour.
 */
class ReportViewsTest {
    private static final String ALPHA = "p-alpha";
    private static final String BETA = "p-beta";
    /** S4's first day: (86400 s - 06:29:23.123456) as Nova computes it. */
    private static final double S4_FIRST_DAY = 63036876544.0 / 1e6 / 3600.0;

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    private static List<Map<String, Object>> rows(String sql, Object... arguments) {
        return db.jdbi().withHandle(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < arguments.length; i++) {
                query.bind(i, arguments[i]);
            }
            return query.mapToMap().list();
        });
    }

    private static Map<String, Object> row(String sql, Object... arguments) {
        List<Map<String, Object>> rows = rows(sql, arguments);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static Instant instant(Object timestamptz) {
        return ((java.sql.Timestamp) timestamptz).toInstant();
    }

    private static BigDecimal decimal(Object value) {
        return (BigDecimal) value;
    }

    @Test
    void serverUsageHasTheOldCsvColumnsInOrderThenProjectAndWindow() {
        List<String> columns = db.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'report' "
                        + "AND table_name = 'server_usage' ORDER BY ordinal_position").mapTo(String.class).list());
        assertThat(columns).containsExactly("hours", "flavor", "instance_id", "name", "tenant_id", "memory_mb",
                "local_gb", "vcpus", "started_at", "ended_at", "state", "uptime", "project_name", "window_start",
                "window_end", "cloud", "provisional");
    }

    @Test
    void serverUsageShowsTheDeletionDayAndTheFlavorOfEachWindowAcrossAResize() {
        Map<String, Object> deletedDay = row("SELECT * FROM report.server_usage WHERE window_start = '2026-10-15Z' "
                + "AND instance_id = '00000000-0000-0000-0000-000000000002'");
        assertThat(deletedDay.get("hours")).isEqualTo(12.0);
        assertThat(deletedDay.get("flavor")).isEqualTo("m1.large");
        assertThat(deletedDay.get("name")).isEqualTo("db, \"primary\"");
        assertThat(deletedDay.get("state")).isEqualTo("terminated");
        assertThat(instant(deletedDay.get("ended_at"))).isEqualTo(Instant.parse("2026-10-15T12:00:00Z"));
        assertThat(deletedDay.get("project_name")).isEqualTo("Alpha \"R&D\", Ltd");
        assertThat(rows("SELECT * FROM report.server_usage WHERE instance_id = '00000000-0000-0000-0000-000000000002' "
                + "AND window_start >= '2026-10-16Z'")).isEmpty();

        List<Map<String, Object>> resized = rows("SELECT flavor, vcpus, memory_mb, local_gb FROM report.server_usage "
                + "WHERE instance_id = '00000000-0000-0000-0000-000000000003' "
                + "AND window_start IN ('2026-10-09Z', '2026-10-10Z') ORDER BY window_start");
        assertThat(resized).extracting(r -> r.get("flavor")).containsExactly("m1.small", "m1.large");
        assertThat(resized).extracting(r -> r.get("vcpus")).containsExactly(1, 4);
        assertThat(resized).extracting(r -> r.get("memory_mb")).containsExactly(2048, 8192);
        assertThat(resized).extracting(r -> r.get("local_gb")).containsExactly(20, 80);
    }

    @Test
    void monthlyUsageSumsEachProjectsMonth() {
        Map<String, Object> alpha = row("SELECT * FROM report.project_usage_monthly WHERE project_id = ? AND month = '2026-10'", ALPHA);
        // S1 744 h x 1 vCPU + S2 348 h x 4 vCPU; RAM 744 x 2 + 348 x 8 GiB; disk 744 x 20 + 348 x 80
        assertThat(decimal(alpha.get("vcpu_hours"))).isEqualByComparingTo("2136");
        assertThat(decimal(alpha.get("ram_gb_hours"))).isEqualByComparingTo("4272");
        assertThat(decimal(alpha.get("disk_gb_hours"))).isEqualByComparingTo("42720");
        assertThat(decimal(alpha.get("server_hours"))).isEqualByComparingTo("1092");
        assertThat(alpha.get("server_count")).isEqualTo(2L);

        Map<String, Object> beta = row("SELECT * FROM report.project_usage_monthly WHERE project_id = ? AND month = '2026-10'", BETA);
        // S3 216 h small + 528 h large; S4 (S4_FIRST_DAY + 264) h x 8 vCPU, 32 GiB, 0 GB
        double s4 = S4_FIRST_DAY + 264;
        assertThat(decimal(beta.get("vcpu_hours")).doubleValue()).isCloseTo(216 + 528 * 4 + s4 * 8, within(1e-9));
        assertThat(decimal(beta.get("ram_gb_hours")).doubleValue()).isCloseTo(216 * 2 + 528 * 8 + s4 * 32, within(1e-9));
        assertThat(decimal(beta.get("disk_gb_hours"))).isEqualByComparingTo("46560");
        assertThat(decimal(beta.get("server_hours")).doubleValue()).isCloseTo(744 + s4, within(1e-9));
        assertThat(beta.get("server_count")).isEqualTo(2L);

        Map<String, Object> september = row("SELECT * FROM report.project_usage_monthly WHERE month = '2026-09'");
        assertThat(september.get("project_id")).isEqualTo(ALPHA);
        assertThat(decimal(september.get("server_hours"))).isEqualByComparingTo("264");
    }

    @Test
    void dailyUsageShowsTheHalfDayOfTheDeletedServer() {
        Map<String, Object> alpha = row("SELECT * FROM report.project_usage_daily WHERE project_id = ? "
                + "AND month = '2026-10' AND day = DATE '2026-10-15'", ALPHA);
        assertThat(decimal(alpha.get("vcpu_hours"))).isEqualByComparingTo("72");        // 24 x 1 + 12 x 4
        assertThat(decimal(alpha.get("ram_gb_hours"))).isEqualByComparingTo("144");     // 24 x 2 + 12 x 8
        assertThat(decimal(alpha.get("disk_gb_hours"))).isEqualByComparingTo("1440");   // 24 x 20 + 12 x 80
        assertThat(decimal(alpha.get("server_hours"))).isEqualByComparingTo("36");
        assertThat(alpha.get("server_count")).isEqualTo(2L);
        Map<String, Object> after = row("SELECT * FROM report.project_usage_daily WHERE project_id = ? "
                + "AND month = '2026-10' AND day = DATE '2026-10-16'", ALPHA);
        assertThat(after.get("server_count")).isEqualTo(1L);
        assertThat(rows("SELECT * FROM report.project_usage_daily WHERE month = '2026-10'")).hasSize(
                31 + 31 + 1);   // alpha and beta every day, gamma one day
    }

    @Test
    void invoiceIsPricedPiecewiseWithTheFlavorPriceFirstAndRoundedHalfUpOnce() {
        List<Map<String, Object>> lines = rows("SELECT * FROM report.invoice_monthly WHERE month = '2026-10' "
                + "ORDER BY project_id, resource, price_valid_from");
        assertThat(lines).extracting(l -> l.get("project_id") + " " + l.get("resource") + " "
                        + (l.get("flavor") == null ? "" : l.get("flavor") + " ") + decimal(l.get("unit_price")).toPlainString()
                        + " " + decimal(l.get("amount")).toPlainString())
                .containsExactly(
                        "p-alpha disk_gb_hour 0.0001 4.27",     // 42720 GB-h
                        "p-alpha ram_gb_hour 0.002 8.54",       // 4272 GiB-h
                        "p-alpha vcpu_hour 0.010 17.52",        // before the 16th: 360 (S1) + 1392 (S2)
                        "p-alpha vcpu_hour 0.012 4.61",         // from the 16th: 384 (S1) -> 4.608
                        "p-beta disk_gb_hour 0.0001 4.66",      // S3 only: 216 x 20 + 528 x 80
                        "p-beta flavor_hour gpu.xl 2.50 703.78",// S4 by the hour, no vCPU/RAM/disk lines
                        "p-beta ram_gb_hour 0.002 9.31",        // S3: 216 x 2 + 528 x 8 = 4656
                        "p-beta vcpu_hour 0.010 7.92",          // S3: 216 x 1 + 144 x 4
                        "p-beta vcpu_hour 0.012 18.43",         // S3: 384 x 4 = 1536 -> 18.432
                        "p-gamma disk_gb_hour 0.0001 0.01",     // 50 x 0.0001 = 0.005, half up
                        "p-gamma ram_gb_hour 0.002 0.01",       // 5 x 0.002
                        "p-gamma vcpu_hour 0.010 0.03");        // 2.5 x 0.010 = 0.025, half up (half-even: 0.02)
        Map<String, Object> gpu = lines.get(5);
        assertThat(decimal(gpu.get("quantity")).doubleValue()).isCloseTo(S4_FIRST_DAY + 264, within(1e-9));
        assertThat(gpu.get("currency")).isEqualTo("EUR");
    }

    @Test
    void invoiceTotalEqualsQuantitiesTimesPricesComputedIndependently() {
        BigDecimal expected = IndependentInvoice.compute(db.jdbi(), "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
        BigDecimal actual = db.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT sum(amount) FROM report.invoice_monthly WHERE month = '2026-10'").mapTo(BigDecimal.class).one());
        assertThat(actual).isEqualByComparingTo(expected);
        assertThat(actual).isEqualByComparingTo("779.09");
    }

    @Test
    void documentRebuildsTheOldJsonWithNovasTotalsAndFormat() throws Exception {
        String document = db.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT document::text FROM report.tenant_usage_document WHERE project_id = ? "
                        + "AND range_start = '2026-10-20Z'").bind(0, BETA).mapTo(String.class).one());
        JsonNode tree = new ObjectMapper().readTree(document);
        assertThat(iterable(tree.fieldNames())).containsExactly("tenant_id", "server_usages", "total_local_gb_usage",
                "total_vcpus_usage", "total_memory_mb_usage", "total_hours", "start", "stop");
        assertThat(iterable(tree.get("server_usages").get(0).fieldNames())).containsExactly("hours", "flavor",
                "instance_id", "name", "tenant_id", "memory_mb", "local_gb", "vcpus", "started_at", "ended_at", "state",
                "uptime");
        JsonNode gpu = tree.get("server_usages").get(1);
        assertThat(gpu.get("hours").doubleValue()).isEqualTo(S4_FIRST_DAY);
        assertThat(gpu.get("started_at").asText()).isEqualTo("2026-10-20T06:29:23.123456");
        assertThat(gpu.get("ended_at").isNull()).isTrue();
        assertThat(tree.get("total_hours").doubleValue()).isEqualTo(24.0 + S4_FIRST_DAY);
        assertThat(tree.get("total_vcpus_usage").doubleValue()).isEqualTo(96.0 + 8 * S4_FIRST_DAY);
        assertThat(tree.get("start").asText()).isEqualTo("2026-10-20T00:00:00.000000");
        assertThat(tree.get("stop").asText()).isEqualTo("2026-10-21T00:00:00.000000");
        // written like Python's json.dumps: ", " and ": " separators, whole doubles with ".0", one line
        assertThat(document).startsWith("{\"tenant_id\": \"p-beta\", \"server_usages\": [{\"hours\": 24.0, \"flavor\": \"m1.large\"")
                .contains("\"total_local_gb_usage\": 1920.0, ")
                .contains("\"hours\": " + S4_FIRST_DAY + ", ")
                .doesNotContain("\n");
    }

    @Test
    void documentShowsNovasTotalsEvenWhenOurFactsDiffer() throws Exception {
        String document = db.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT document::text FROM report.tenant_usage_document WHERE project_id = ? "
                        + "AND range_start = '2026-10-15Z'").bind(0, BETA).mapTo(String.class).one());
        JsonNode tree = new ObjectMapper().readTree(document);
        assertThat(tree.get("total_hours").doubleValue()).isEqualTo(30.0);
        assertThat(tree.get("server_usages")).hasSize(1);
    }

    @Test
    void reconciliationShowsZeroWhereNovaAgreesAndTheDifferenceWhereItDoesNot() {
        Map<String, Object> agrees = row("SELECT * FROM report.reconciliation WHERE project_id = ? AND range_start = '2026-10-20Z'", BETA);
        assertThat(agrees.get("matches")).isEqualTo(true);
        assertThat(agrees.get("hours_difference")).isEqualTo(0.0);
        assertThat(agrees.get("our_memory_mb_hours")).isEqualTo(196608.0 + 32768 * S4_FIRST_DAY);

        Map<String, Object> differs = row("SELECT * FROM report.reconciliation WHERE project_id = ? AND range_start = '2026-10-15Z'", BETA);
        assertThat(differs.get("matches")).isEqualTo(false);
        assertThat(differs.get("nova_server_count")).isEqualTo(2);
        assertThat(differs.get("our_server_count")).isEqualTo(1L);
        assertThat(differs.get("hours_difference")).isEqualTo(-6.0);
        assertThat(differs.get("vcpu_hours_difference")).isEqualTo(-6.0);
        assertThat(differs.get("memory_mb_hours_difference")).isEqualTo(-12288.0);
        assertThat(differs.get("local_gb_hours_difference")).isEqualTo(-120.0);
    }

    @Test
    void coverageListsLoadedMissingAndProvisionalPeriods() {
        Instant now = db.jdbi().withHandle(h -> h.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one()).toInstant();
        List<Map<String, Object>> periods = rows("SELECT * FROM report.coverage ORDER BY period_start");
        assertThat(periods).extracting(p -> p.get("status") + " " + instant(p.get("period_start"))
                        + " " + p.get("windows"))
                .containsExactly(
                        "loaded 2026-10-01T00:00:00Z 20",
                        "missing 2026-10-21T00:00:00Z 1",
                        "loaded 2026-10-22T00:00:00Z 1",
                        "provisional 2026-10-23T00:00:00Z 1",
                        "missing 2026-10-24T00:00:00Z " + ChronoUnit.DAYS.between(
                                Instant.parse("2026-10-24T00:00:00Z"), now.truncatedTo(ChronoUnit.DAYS)));
        assertThat(instant(periods.get(4).get("period_end"))).isEqualTo(now.truncatedTo(ChronoUnit.DAYS));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** The old collector wrote its documents with Python's json.dumps defaults: every non-ASCII character escaped. */
    @Test
    void documentStringsAreEscapedAsPythonsJsonDumpsDoes() {
        Map<String, String> python = Map.of(
                "Zürich café – 日本", "\"Z\\u00fcrich caf\\u00e9 \\u2013 \\u65e5\\u672c\"",
                "naïve \"q\", a\\b\nc\u0001 \uD83D\uDE80 \u007f",
                "\"na\\u00efve \\\"q\\\", a\\\\b\\nc\\u0001 \\ud83d\\ude80 \\u007f\"",
                "plain ascii ~!", "\"plain ascii ~!\"",
                "", "\"\"");
        python.forEach((text, expected) -> assertThat(row("SELECT report.python_json_string(?) AS s", text).get("s"))
                .as(text).isEqualTo(expected));
    }
}

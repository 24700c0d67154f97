package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * The monthly rollups by customer, cost centre and Keystone domain (issue #18) on the small cloud: their usage is
 * report.project_usage_monthly's summed over the group's projects, their amounts report.invoice_monthly's lines summed,
 * and every project lands in exactly one group (none is lost, none counted twice).
 * Customers: p-alpha with Zürich (cost centre CC-100), p-beta with Beta (CC-100 as well), p-gamma none.
 * Domains: p-alpha and p-beta in d-research (named), p-gamma in d-ops (no name listed).
 */
class RollupViewsTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeAll
    static void load() {
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO metrics.customer (name, cost_centre, tax_rate, currency, source, run_id) VALUES"
                    + " ('Zürich café – 日本 AG', 'CC-100', 21, 'EUR', 'test', 1), ('Beta', 'CC-100', 21, 'EUR', 'test', 1)");
            h.execute("INSERT INTO metrics.project_customer (project_id, customer_id, source)"
                    + " SELECT 'p-alpha', customer_id, 'test' FROM metrics.customer WHERE name LIKE 'Zürich%'"
                    + " UNION ALL SELECT 'p-beta', customer_id, 'test' FROM metrics.customer WHERE name = 'Beta'");
            h.execute("UPDATE metrics.project SET domain_id = 'd-research', domain_name = 'Research'"
                    + " WHERE project_id IN ('p-alpha', 'p-beta')");
            h.execute("UPDATE metrics.project SET domain_id = 'd-ops' WHERE project_id = 'p-gamma'");
        });
    }

    private static List<Map<String, Object>> rows(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    private static BigDecimal one(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(BigDecimal.class).one());
    }

    /** The sum of a usage column of project_usage_monthly over some projects in October. */
    private static BigDecimal usage(String column, String projects) {
        return one("SELECT sum(" + column + ") FROM report.project_usage_monthly WHERE month = '2026-10'"
                + " AND project_id IN (" + projects + ")");
    }

    private static BigDecimal amount(String projects) {
        return one("SELECT sum(amount) FROM report.invoice_monthly WHERE month = '2026-10' AND project_id IN (" + projects + ")");
    }

    @Test
    void aCustomersRowAddsUpItsProjectsUsageAndInvoiceLinesAndProjectsWithoutOneShareANullRow() {
        List<Map<String, Object>> october = rows("SELECT * FROM report.customer_monthly WHERE month = '2026-10' ORDER BY customer");
        assertThat(october).extracting(r -> r.get("customer")).containsExactly("Beta", "Zürich café – 日本 AG", null);
        Map<String, Object> alpha = october.get(1);
        assertThat(alpha.get("cost_centre")).isEqualTo("CC-100");
        assertThat(alpha.get("projects")).isEqualTo(1L);
        assertThat((BigDecimal) alpha.get("vcpu_hours")).isEqualByComparingTo(usage("vcpu_hours", "'p-alpha'"));
        assertThat((BigDecimal) alpha.get("ram_gb_hours")).isEqualByComparingTo(usage("ram_gb_hours", "'p-alpha'"));
        assertThat((BigDecimal) alpha.get("amount")).isEqualByComparingTo(amount("'p-alpha'"));
        assertThat(alpha.get("currency")).isEqualTo("EUR");
        assertThat(alpha.get("server_count")).isEqualTo(2L);
        Map<String, Object> none = october.get(2);
        assertThat((BigDecimal) none.get("disk_gb_hours")).isEqualByComparingTo(usage("disk_gb_hours", "'p-gamma'"));
        assertThat((BigDecimal) none.get("amount")).isEqualByComparingTo(amount("'p-gamma'"));
        assertThat(none.get("unpriced_lines")).isEqualTo(0L);
    }

    @Test
    void aCostCentreRowAddsUpTheProjectsOfAllItsCustomers() {
        List<Map<String, Object>> october = rows("SELECT * FROM report.cost_centre_monthly WHERE month = '2026-10'"
                + " ORDER BY cost_centre");
        assertThat(october).extracting(r -> r.get("cost_centre")).containsExactly("CC-100", null);
        Map<String, Object> cc = october.get(0);
        assertThat(cc.get("projects")).isEqualTo(2L);
        assertThat((BigDecimal) cc.get("server_hours")).isEqualByComparingTo(usage("server_hours", "'p-alpha', 'p-beta'"));
        assertThat((BigDecimal) cc.get("amount")).isEqualByComparingTo(amount("'p-alpha', 'p-beta'"));
        assertThat(cc.get("server_count")).isEqualTo(4L);
    }

    @Test
    void aDomainRowAddsUpItsProjectsAndKeepsTheDomainsNameWhenKnown() {
        List<Map<String, Object>> october = rows("SELECT * FROM report.domain_monthly WHERE month = '2026-10' ORDER BY domain_id");
        assertThat(october).extracting(r -> r.get("domain_id") + "/" + r.get("domain_name"))
                .containsExactly("d-ops/null", "d-research/Research");
        assertThat((BigDecimal) october.get(1).get("vcpu_hours")).isEqualByComparingTo(usage("vcpu_hours", "'p-alpha', 'p-beta'"));
        assertThat((BigDecimal) october.get(1).get("amount")).isEqualByComparingTo(amount("'p-alpha', 'p-beta'"));
        assertThat((BigDecimal) october.get(0).get("amount")).isEqualByComparingTo(amount("'p-gamma'"));
    }

    @Test
    void everyRollupCountsEveryProjectOnceInEveryMonth() {
        for (String view : List.of("customer_monthly", "cost_centre_monthly", "domain_monthly")) {
            List<Map<String, Object>> check = rows("SELECT r.month, r.projects, r.vcpu_hours, r.server_hours, r.amount,"
                    + " (SELECT count(*) FROM report.project_usage_monthly p WHERE p.month = r.month) AS all_projects,"
                    + " (SELECT sum(vcpu_hours) FROM report.project_usage_monthly p WHERE p.month = r.month) AS all_vcpu,"
                    + " (SELECT sum(amount) FROM report.invoice_monthly i WHERE i.month = r.month) AS all_amount"
                    + " FROM (SELECT month, sum(projects) AS projects, sum(vcpu_hours) AS vcpu_hours,"
                    + " sum(server_hours) AS server_hours, sum(amount) AS amount FROM report." + view + " GROUP BY month) r");
            assertThat(check).as(view).extracting(r -> r.get("month")).contains("2026-09", "2026-10");
            for (Map<String, Object> month : check) {
                assertThat(((Number) month.get("projects")).longValue()).as(view + " " + month)
                        .isEqualTo(((Number) month.get("all_projects")).longValue());
                assertThat((BigDecimal) month.get("vcpu_hours")).as(view + " " + month).isEqualByComparingTo((BigDecimal) month.get("all_vcpu"));
                assertThat((BigDecimal) month.get("amount")).as(view + " " + month).isEqualByComparingTo((BigDecimal) month.get("all_amount"));
            }
        }
    }

    @Test
    void theRollupsExportByMonthAndCloudAndRefuseAProjectFilter() throws Exception {
        ReportExporter exporter = new ReportExporter(db.database().dataSource());
        StringWriter out = new StringWriter();
        exporter.export(new ExportRequest(ReportCatalog.require("domain_monthly"), Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z"), List.of(), "keystone.example:5000/RegionOne", ExportFormat.CSV), out, n -> { });
        assertThat(out.toString()).startsWith("cloud,month,month_start,month_end,domain_id,domain_name,projects,")
                .contains("d-research,Research,2,").hasLineCount(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> exporter.export(new ExportRequest(
                ReportCatalog.require("customer_monthly"), null, null, List.of("p-alpha"), ExportFormat.CSV), new StringWriter(), n -> { }))
                .hasMessageContaining("cannot be filtered with --project");
    }
}

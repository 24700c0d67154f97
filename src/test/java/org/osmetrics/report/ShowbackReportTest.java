package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code report html} on the small cloud (daily windows, September and October 2026, EUR rate card; Oct 21 missing
 * and Oct 23 on provisional): every figure of the page is read back (the page is well-formed XHTML, each figure's
 * exact value in data-value) and compared with the report views, queried here on their own.
 */
class ShowbackReportTest {
    static final String NASTY = "<script>alert(1)</script> Zürich café – 日本";
    static final String NASTY_SERVER = "<img src=x onerror=alert(1)> & \"db\"";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(ShowbackReportTest::loadNamedSmallCloud);
    /** The page of the small cloud as loaded, rendered once for the tests that only read it. */
    private static String october;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSmallCloud(@TempDir Path shared) throws Exception {
        Path out = shared.resolve("showback.html");
        CommandRun run = report(db.test(), out);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("report html: 2026-10 of keystone.example:5000/RegionOne, 3 projects with usage");
        october = Files.readString(out);
    }

    /** The small cloud with a project and a server named to break out of HTML if anything were not escaped. */
    static TestDatabase loadNamedSmallCloud() {
        TestDatabase test = SmallCloudData.load();
        test.jdbi().useHandle(h -> {
            h.createUpdate("UPDATE metrics.project SET name = :n WHERE project_id = 'p-gamma'").bind("n", NASTY).execute();
            h.createUpdate("UPDATE metrics.server SET name = :n WHERE instance_id = '00000000-0000-0000-0000-000000000005'")
                    .bind("n", NASTY_SERVER).execute();
        });
        return test;
    }

    static CommandRun report(TestDatabase test, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("report", "html", "--month", "2026-10", "--out", out.toString(),
                "--db-url", test.jdbcUrl()));
        args.addAll(List.of(more));
        return CommandRun.of(Map.of(), args.toArray(String[]::new));
    }

    /** Renders the page again (after a change to the database). */
    private Document render() throws Exception {
        Path out = dir.resolve("showback.html");
        CommandRun run = report(db.test(), out);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("report html: 2026-10 of keystone.example:5000/RegionOne, 3 projects with usage");
        return parse(Files.readString(out));
    }

    static Document parse(String html) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> all(Node context, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, context, XPathConstants.NODESET);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    static Element one(Node context, String xpath) throws Exception {
        List<Element> found = all(context, xpath);
        assertThat(found).as(xpath).hasSize(1);
        return found.get(0);
    }

    /** The exact value of a figure. */
    private static BigDecimal figure(Node context, String xpath) throws Exception {
        return new BigDecimal(one(context, xpath).getAttribute("data-value"));
    }

    /** A figure's exact value is the expected one, and its text is that value rounded half up to 2 decimals. */
    private static void assertFigure(Node context, String xpath, BigDecimal expected) throws Exception {
        Element cell = one(context, xpath);
        BigDecimal exact = new BigDecimal(cell.getAttribute("data-value"));
        assertThat(exact).as(xpath).isEqualByComparingTo(expected);
        List<Element> shown = all(cell, "div[@class='v']"); // a key figure: its value under its label
        String text = (shown.isEmpty() ? cell : shown.get(0)).getTextContent().replace(",", "");
        assertThat(new BigDecimal(text.split(" ")[0].replaceAll("[^0-9.\\-]", "")))
                .as(xpath + " shown").isEqualByComparingTo(expected.setScale(2, java.math.RoundingMode.HALF_UP));
    }

    private static BigDecimal sql(String query, Object... parameters) {
        return db.jdbi().withHandle(h -> {
            var q = h.createQuery(query);
            for (int i = 0; i < parameters.length; i++) {
                q.bind(i, parameters[i]);
            }
            BigDecimal value = q.mapTo(BigDecimal.class).one();
            return value == null ? BigDecimal.ZERO : value;
        });
    }

    private static List<String> projects() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT project_id FROM report.project_usage_monthly"
                + " WHERE month = '2026-10' ORDER BY project_id").mapTo(String.class).list());
    }

    @Test
    void theOverviewsFiguresEqualTheReportViews() throws Exception {
        Document page = parse(october);

        assertThat(projects()).containsExactly("p-alpha", "p-beta", "p-gamma");
        for (String p : projects()) {
            String row = "//table[@class='projects']/tbody/tr[@data-project='" + p + "']";
            for (String column : List.of("vcpu_hours", "ram_gb_hours", "disk_gb_hours", "server_hours", "server_count")) {
                assertFigure(page, row + "/td[@data-col='" + column + "']", sql("SELECT " + column
                        + " FROM report.project_usage_monthly WHERE month = '2026-10' AND project_id = ?", p));
            }
            assertFigure(page, row + "/td[@data-col='cost']", sql("SELECT sum(amount) FROM report.invoice_monthly"
                    + " WHERE month = '2026-10' AND project_id = ?", p));
        }
        String total = "//table[@class='projects']/tfoot/tr[@class='total']";
        for (String column : List.of("vcpu_hours", "ram_gb_hours", "disk_gb_hours", "server_hours")) {
            BigDecimal expected = sql("SELECT sum(" + column + ") FROM report.project_usage_monthly WHERE month = '2026-10'");
            assertFigure(page, total + "/td[@data-col='" + column + "']", expected);
            if (!column.equals("disk_gb_hours")) { // no key figure of disk
                assertFigure(page, "//section[@id='overview']//div[@class='kpi'][@data-col='" + column + "']", expected);
            }
        }
        BigDecimal cost = sql("SELECT sum(amount) FROM report.invoice_monthly WHERE month = '2026-10'");
        assertThat(cost).isGreaterThan(BigDecimal.ZERO);
        assertFigure(page, total + "/td[@data-col='cost']", cost);
        assertFigure(page, "//section[@id='overview']//div[@class='kpi'][@data-col='cost']", cost);
        // the trend: 12 months, each the views' totals (zero before the data begin)
        List<Element> months = all(page, "//table[@class='trend']/tbody/tr");
        assertThat(months).hasSize(12);
        assertThat(months.get(0).getAttribute("data-month")).isEqualTo("2025-11");
        for (Element month : months) {
            String m = month.getAttribute("data-month");
            assertFigure(month, "td[@data-col='vcpu_hours']",
                    sql("SELECT sum(vcpu_hours) FROM report.project_usage_monthly WHERE month = ?", m));
            assertFigure(month, "td[@data-col='server_hours']",
                    sql("SELECT sum(server_hours) FROM report.project_usage_monthly WHERE month = ?", m));
            assertFigure(month, "td[@data-col='cost']", sql("SELECT sum(amount) FROM report.invoice_monthly WHERE month = ?", m));
        }
        assertThat(figure(page, "//table[@class='trend']/tbody/tr[@data-month='2026-09']/td[@data-col='vcpu_hours']"))
                .isEqualByComparingTo("264"); // web-1: 11 days x 24 h x 1 vCPU
        // by flavor: each flavor as server_usage has it, and together the month's total
        BigDecimal flavors = BigDecimal.ZERO;
        for (String flavor : List.of("m1.small", "m1.large", "gpu.xl")) {
            BigDecimal vcpu = sql("SELECT sum(hours::numeric * vcpus) FROM report.server_usage WHERE flavor = ?"
                    + " AND window_start >= '2026-10-01Z' AND window_start < '2026-11-01Z'", flavor);
            assertFigure(page, "//table[@class='flavors']/tbody/tr[@data-flavor='" + flavor + "']/td[@data-col='vcpu_hours']",
                    vcpu);
            flavors = flavors.add(vcpu);
        }
        assertThat(flavors).isEqualByComparingTo(
                sql("SELECT sum(vcpu_hours) FROM report.project_usage_monthly WHERE month = '2026-10'"));
        // charts: two stacked 12-month charts, the trend line, the flavors
        assertThat(all(page, "//section[@id='overview']//svg")).hasSize(4);
        assertThat(all(page, "//figure[@class='usage-by-project']//rect[@class='bar']")).hasSize(1 + 3); // Sep: p-alpha; Oct: all 3
    }

    @Test
    void eachProjectsPageEqualsTheReportViewsAndSaysTheMonthsCompleteness() throws Exception {
        Document page = parse(october);

        List<Element> sections = all(page, "//section[@class='page project']");
        assertThat(sections).extracting(s -> s.getAttribute("data-project")).containsExactly("p-beta", "p-alpha", "p-gamma");
        for (Element section : sections) {
            String p = section.getAttribute("data-project");
            // the period's completeness, as report.completeness has it
            String status = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM report.completeness"
                    + " WHERE period = 'month' AND label = '2026-10' AND project_id = ?").bind(0, p).mapTo(String.class).one());
            assertThat(status).isEqualTo("incomplete");
            assertThat(one(section, "div[@data-status]").getAttribute("data-status")).isEqualTo(status);
            assertThat(one(section, "div[@data-status]").getTextContent())
                    .contains("2026-10-21T00:00Z/2026-10-22T00:00Z");
            // every day with usage, as project_usage_daily has it
            List<Map<String, Object>> days = db.jdbi().withHandle(h -> h.createQuery("SELECT day::text AS day, vcpu_hours,"
                    + " server_hours FROM report.project_usage_daily WHERE month = '2026-10' AND project_id = ? ORDER BY day")
                    .bind(0, p).mapToMap().list());
            assertThat(all(section, ".//table[@class='days']/tbody/tr")).hasSize(days.size());
            for (Map<String, Object> day : days) {
                String row = ".//table[@class='days']/tbody/tr[@data-day='" + day.get("day") + "']";
                assertFigure(section, row + "/td[@data-col='vcpu_hours']", (BigDecimal) day.get("vcpu_hours"));
                assertFigure(section, row + "/td[@data-col='server_hours']", (BigDecimal) day.get("server_hours"));
            }
            assertThat(all(section, ".//figure[@class='daily']//rect[@class='bar']")).hasSize(days.size());
            // the key figures
            assertFigure(section, "div[@class='kpis']/div[@data-col='vcpu_hours']",
                    sql("SELECT vcpu_hours FROM report.project_usage_monthly WHERE month = '2026-10' AND project_id = ?", p));
            assertFigure(section, "div[@class='kpis']/div[@data-col='cost']",
                    sql("SELECT sum(amount) FROM report.invoice_monthly WHERE month = '2026-10' AND project_id = ?", p));
            // each cost line's amount
            List<BigDecimal> amounts = db.jdbi().withHandle(h -> h.createQuery("SELECT amount FROM report.invoice_monthly"
                    + " WHERE month = '2026-10' AND project_id = ? ORDER BY resource, flavor NULLS FIRST,"
                    + " price_valid_from NULLS FIRST").bind(0, p).mapTo(BigDecimal.class).list());
            List<Element> lines = all(section, ".//table[@class='lines']/tbody/tr/td[@data-col='amount']");
            assertThat(lines).hasSameSizeAs(amounts);
            for (int i = 0; i < amounts.size(); i++) {
                assertThat(new BigDecimal(lines.get(i).getAttribute("data-value"))).isEqualByComparingTo(amounts.get(i));
            }
            // the top servers, each as server_usage sums it
            List<Element> servers = all(section, ".//table[@class='servers']/tbody/tr");
            assertThat(servers).isNotEmpty();
            for (Element server : servers) {
                assertFigure(server, "td[@data-col='vcpu_hours']", sql("SELECT sum(hours::numeric * vcpus) FROM report.server_usage"
                        + " WHERE instance_id = CAST(? AS uuid) AND window_start >= '2026-10-01Z' AND window_start < '2026-11-01Z'",
                        server.getAttribute("data-server")));
            }
        }
        assertThat(all(page, "//section[@data-project='p-beta']//table[@class='servers']/tbody/tr"))
                .extracting(e -> e.getAttribute("data-server")) // most vCPU-hours first: build 2,328, gpu box 2,252
                .containsExactly("00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004");
        // the overview says the same of the cloud
        assertThat(one(page, "//section[@id='overview']/div[@data-status]").getAttribute("data-status")).isEqualTo("incomplete");
    }

    @Test
    void namesAreShownAsTextNeverAsMarkup() throws Exception {
        String html = october;
        Document page = parse(html);

        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("<img");
        assertThat(all(page, "//script")).isEmpty();
        assertThat(all(page, "//img")).isEmpty();
        assertThat(one(page, "//section[@data-project='p-gamma']/h2").getTextContent()).isEqualTo(NASTY);
        assertThat(one(page, "//table[@class='projects']/tbody/tr[@data-project='p-gamma']/td[1]").getTextContent())
                .isEqualTo(NASTY);
        assertThat(one(page, "//tr[@data-server='00000000-0000-0000-0000-000000000005']/td[1]").getTextContent())
                .startsWith(NASTY_SERVER);
        // no script may run and nothing may be fetched, even if something slipped through
        assertThat(one(page, "//meta[@http-equiv='Content-Security-Policy']").getAttribute("content"))
                .isEqualTo("default-src 'none'; style-src 'unsafe-inline'");
    }

    @Test
    void withoutTimelinesTheStateSplitSaysWhyAndWithThemItEqualsServerUsageByState() throws Exception {
        assertThat(all(parse(october), "//p[@class='note states-missing']")).hasSize(3);

        // a timeline for the gpu box of p-beta: active until Oct 25 noon, shelved_offloaded since
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to,"
                + " vm_state) SELECT cloud_id, instance_id, v.from_, v.to_, v.state FROM metrics.server,"
                + " (VALUES ('2026-10-20 00:00Z'::timestamptz, '2026-10-25 12:00Z'::timestamptz, 'active'),"
                + " ('2026-10-25 12:00Z', NULL, 'shelved_offloaded')) AS v (from_, to_, state)"
                + " WHERE instance_id = '00000000-0000-0000-0000-000000000004'"));
        try {
            Document page = render();
            Element beta = one(page, "//section[@data-project='p-beta']");
            assertThat(all(beta, ".//table[@class='states']/tbody/tr")).extracting(e -> e.getAttribute("data-state"))
                    .containsExactlyInAnyOrder("active", "active (inferred)", "shelved_offloaded");
            for (String state : List.of("active", "shelved_offloaded")) {
                assertFigure(beta, ".//table[@class='states']/tbody/tr[@data-state='" + state + "']/td[@data-col='server_hours']",
                        sql("SELECT sum(hours) FROM report.server_usage_by_state WHERE project_id = 'p-beta' AND state_known"
                                + " AND vm_state = '" + state + "' AND window_start >= '2026-10-01Z' AND window_start < '2026-11-01Z'"));
            }
            assertFigure(beta, ".//table[@class='states']/tbody/tr[@data-state='active (inferred)']/td[@data-col='server_hours']",
                    sql("SELECT sum(hours) FROM report.server_usage_by_state WHERE project_id = 'p-beta' AND NOT state_known"
                            + " AND window_start >= '2026-10-01Z' AND window_start < '2026-11-01Z'"));
            // the other projects have no timeline: they say so
            assertThat(all(page, "//p[@class='note states-missing']")).hasSize(2);
        } finally {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.server_interval"));
        }
    }

    @Test
    void aMonthWithoutUsageIsDrawnEmptyWithItsCompleteness() throws Exception {
        Path out = dir.resolve("november.html");
        CommandRun run = CommandRun.of(Map.of(), "report", "html", "--month", "2026-11", "--out", out.toString(),
                "--db-url", db.jdbcUrl());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("0 projects with usage");
        Document page = parse(Files.readString(out));
        assertThat(all(page, "//section[@class='page project']")).isEmpty();
        assertThat(one(page, "//table[@class='projects']/tbody/tr").getTextContent()).isEqualTo("No project used anything in the month.");
        assertThat(one(page, "//section[@id='overview']/div[@data-status]").getAttribute("data-status")).isEqualTo("incomplete");
        assertThat(figure(page, "//table[@class='trend']/tbody/tr[@data-month='2026-10']/td[@data-col='vcpu_hours']"))
                .isEqualByComparingTo(sql("SELECT sum(vcpu_hours) FROM report.project_usage_monthly WHERE month = '2026-10'"));
    }

    @Test
    void aMissingOrBadMonthAnUnknownCloudAndAnUnchosenCloudAreRefusedWithExit2() {
        Path out = dir.resolve("x.html");
        CommandRun noMonth = CommandRun.of(Map.of(), "report", "html", "--out", out.toString(), "--db-url", db.jdbcUrl());
        assertThat(noMonth.exitCode()).isEqualTo(2);
        assertThat(noMonth.err()).contains("--month YYYY-MM is required");
        assertThat(CommandRun.of(Map.of(), "report", "html", "--month", "2026-13", "--out", out.toString(),
                "--db-url", db.jdbcUrl()).exitCode()).isEqualTo(2);
        CommandRun unknown = report(db.test(), out, "--cloud", "nowhere:5000/RegionOne");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown cloud 'nowhere:5000/RegionOne'").contains("keystone.example:5000/RegionOne");

        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.cloud (cloud_key, window_seconds)"
                + " VALUES ('other.example:5000/RegionTwo', 3600)"));
        try {
            CommandRun unchosen = report(db.test(), out);
            assertThat(unchosen.exitCode()).isEqualTo(2);
            assertThat(unchosen.err()).contains("2 clouds in the database").contains("--cloud KEY");
            CommandRun chosen = report(db.test(), out, "--cloud", "keystone.example:5000/RegionOne");
            assertThat(chosen.exitCode()).as(chosen.err()).isZero();
        } finally {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.cloud WHERE cloud_key = 'other.example:5000/RegionTwo'"));
        }
        assertThat(out).exists();
    }
}

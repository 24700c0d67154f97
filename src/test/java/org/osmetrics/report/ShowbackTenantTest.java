package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.Logins;
import org.osmetrics.testing.Logins.Login;
import org.osmetrics.testing.TestDatabaseExtension;
import org.w3c.dom.Document;

/**
 * {@code report html} run by a tenant's login (README, "Access"): the page is drawn from the views as that login
 * sees them, so it shows its own projects only, and its totals are theirs.
 */
class ShowbackTenantTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::loadOwnedByOwner);
    private static Login alpha;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        alpha = Logins.create(db.test(), "alpha");
        CommandRun grant = CommandRun.of(Map.of("OS_METRICS_DB_URL", db.jdbcUrl()), "access", "grant", alpha.name(),
                "--project", "p-alpha");
        assertThat(grant.exitCode()).as(grant.err()).isZero();
    }

    @AfterAll
    static void tearDown() {
        alpha.close();
    }

    @Test
    void aTenantsShowbackShowsOnlyItsOwnProjects() throws Exception {
        Path out = dir.resolve("alpha.html");

        CommandRun run = CommandRun.of(Map.of("OS_METRICS_DB_URL", alpha.jdbcUrl()), "report", "html", "--month", "2026-10",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 project with usage");
        String html = Files.readString(out);
        Document page = ShowbackReportTest.parse(html);
        assertThat(ShowbackReportTest.all(page, "//section[@class='page project']"))
                .extracting(s -> s.getAttribute("data-project")).containsExactly("p-alpha");
        assertThat(ShowbackReportTest.all(page, "//table[@class='projects']/tbody/tr"))
                .extracting(s -> s.getAttribute("data-project")).containsExactly("p-alpha");
        assertThat(html).doesNotContain("p-beta").doesNotContain("HYPERLINK").doesNotContain("p-gamma");
        BigDecimal alphaHours = db.jdbi().withHandle(h -> h.createQuery("SELECT vcpu_hours FROM report.project_usage_monthly"
                + " WHERE month = '2026-10' AND project_id = 'p-alpha'").mapTo(BigDecimal.class).one());
        assertThat(new BigDecimal(ShowbackReportTest.one(page, "//table[@class='projects']/tfoot/tr/td[@data-col='vcpu_hours']")
                .getAttribute("data-value"))).isEqualByComparingTo(alphaHours);
        assertThat(html).contains("period incomplete (1 of 1 project)");
    }
}

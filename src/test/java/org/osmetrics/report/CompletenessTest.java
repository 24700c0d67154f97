package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * report.completeness, the completeness column of report.invoice_monthly and the refusal of priced exports, on
 * the small cloud (daily windows, usage all October) whose extracted ranges each test sets: by default October
 * loaded from the 20th on (all projects at once), nothing before.
 */
class CompletenessTest {
    private static final String CLOUD = "keystone.example:5000/RegionOne";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @TempDir
    Path dir;

    @BeforeEach
    void octoberLoadedFromThe20th() {
        db.jdbi().useHandle(h -> {
            h.execute("UPDATE metrics.cloud SET billing_start = NULL, time_zone = 'UTC'");
            h.execute("DELETE FROM metrics.extracted_range");
        });
        load("*", "2026-10-20", "2026-11-01");
    }

    /** Complete daily extractions of [from, to) for a scope. */
    private static void load(String scope, String from, String to) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO metrics.extracted_range (cloud_id, scope, range_start,"
                        + " range_end, stop, provisional, microversion, server_count, extracted_at, run_id)"
                        + " SELECT 1, :scope, d, d + interval '1 day', d + interval '1 day', false, '2.40', 3, now(), 1"
                        + " FROM generate_series(CAST(:from AS timestamp), CAST(:to AS timestamp) - interval '1 day',"
                        + " interval '1 day') g, LATERAL (SELECT g AT TIME ZONE 'UTC' AS d) x")
                .bind("scope", scope).bind("from", from).bind("to", to).execute());
    }

    private static Map<String, Object> period(String project, String period, String label) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status, missing, missing_windows, open_windows"
                        + " FROM report.completeness WHERE project_id = :p AND period = :period AND label = :label")
                .bind("p", project).bind("period", period).bind("label", label).mapToMap().one());
    }

    private static List<String> invoiceCompleteness(String month) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT completeness FROM report.invoice_monthly"
                + " WHERE month = :m").bind("m", month).mapTo(String.class).list());
    }

    private static CommandRun export(String... arguments) {
        String[] args = new String[arguments.length + 3];
        args[0] = "export";
        System.arraycopy(arguments, 0, args, 1, arguments.length);
        args[arguments.length + 1] = "--db-url";
        args[arguments.length + 2] = db.jdbcUrl();
        return CommandRun.of(Map.of(), args);
    }

    @Test
    void aMonthLoadedFromThe20thIsIncompleteNamingTheMissingRange() {
        Map<String, Object> october = period("p-alpha", "month", "2026-10");

        assertThat(october.get("status")).isEqualTo("incomplete");
        assertThat(october.get("missing")).isEqualTo("2026-10-01T00:00Z/2026-10-20T00:00Z");
        assertThat(october.get("missing_windows")).isEqualTo(19L);
        assertThat(period("p-alpha", "day", "2026-10-19").get("status")).isEqualTo("incomplete");
        assertThat(period("p-alpha", "day", "2026-10-20").get("status")).isEqualTo("complete");
        assertThat(invoiceCompleteness("2026-10")).containsExactly("incomplete");
    }

    @Test
    void aMonthWithEveryWindowLoadedAndClosedIsComplete() {
        load("*", "2026-10-01", "2026-10-20");

        assertThat(period("p-alpha", "month", "2026-10").get("status")).isEqualTo("complete");
        assertThat(period("p-alpha", "month", "2026-10").get("missing")).isNull();
        assertThat(invoiceCompleteness("2026-10")).containsExactly("complete");
    }

    @Test
    void gapsInsideAndAfterTheLastLoadAreNamed() {
        load("*", "2026-10-01", "2026-10-20");
        db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.extracted_range WHERE range_start IN"
                + " ('2026-10-05Z', '2026-10-06Z') OR range_start >= '2026-10-30Z'"));

        assertThat(period("p-beta", "month", "2026-10").get("missing"))
                .isEqualTo("2026-10-05T00:00Z/2026-10-07T00:00Z, 2026-10-30T00:00Z/2026-11-01T00:00Z");
    }

    @Test
    void windowsExtractedWhileOpenMakeTheMonthProvisional() {
        load("*", "2026-10-01", "2026-10-20");
        db.jdbi().useHandle(h -> h.execute("UPDATE metrics.extracted_range SET provisional = true,"
                + " stop = '2026-10-31 17:00Z' WHERE range_start = '2026-10-31Z'"));

        Map<String, Object> october = period("p-alpha", "month", "2026-10");
        assertThat(october.get("status")).isEqualTo("provisional");
        assertThat(october.get("open_windows")).isEqualTo(1L);
        assertThat(invoiceCompleteness("2026-10")).containsExactly("provisional");
    }

    @Test
    void aRangeSuspectedTruncatedIsNotACompleteExtraction() {
        load("*", "2026-10-01", "2026-10-20");
        db.jdbi().useHandle(h -> h.execute("UPDATE metrics.extracted_range SET truncation_suspected = true"
                + " WHERE range_start = '2026-10-12Z'"));

        assertThat(period("p-alpha", "month", "2026-10").get("missing")).isEqualTo("2026-10-12T00:00Z/2026-10-13T00:00Z");
    }

    @Test
    void aProjectsOwnExtractionCoversOnlyThatProject() {
        load("p-gamma", "2026-10-01", "2026-10-20");

        assertThat(period("p-gamma", "month", "2026-10").get("status")).isEqualTo("complete");
        assertThat(period("p-alpha", "month", "2026-10").get("status")).isEqualTo("incomplete");
    }

    @Test
    void periodsBeforeTheBillingStartAreNotExpected() {
        db.jdbi().useHandle(h -> h.execute("UPDATE metrics.cloud SET billing_start = '2026-10-20Z'"));

        assertThat(period("p-alpha", "month", "2026-10").get("status")).isEqualTo("complete");
        assertThat(period("p-alpha", "month", "2026-09").get("status")).isEqualTo("not_expected");
        assertThat(period("p-alpha", "day", "2026-10-19").get("status")).isEqualTo("not_expected");
    }

    @Test
    void withoutBillingStartAMonthWithUsageButNoExtractionIsIncomplete() {
        // S1 ran from 2026-09-20: September has invoice lines but no extracted window at all
        assertThat(period("p-alpha", "month", "2026-09").get("missing")).isEqualTo("2026-09-01T00:00Z/2026-10-01T00:00Z");
        assertThat(invoiceCompleteness("2026-09")).containsExactly("incomplete");
    }

    @Test
    void theMonthInProgressIsNotComplete() {
        load("*", "2026-11-01", "2026-11-03");

        assertThat(period("p-alpha", "month", "2026-11").get("status")).isIn("incomplete", "provisional");
    }

    @Test
    void exportOfInvoiceLinesRefusesAnIncompleteMonthWithExit7BeforeWritingAnything() {
        Path out = dir.resolve("invoice.csv");

        CommandRun run = export("--report", "invoice_monthly", "--from", "2026-10-01", "--to", "2026-11-01",
                "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("2026-10 is incomplete, missing 2026-10-01T00:00Z/2026-10-20T00:00Z for p-alpha"
                + " (Alpha \"R&D\", Ltd), p-beta").contains("p-gamma (Ünïcødé team)").contains("--allow-incomplete");
        assertThat(out).doesNotExist();
    }

    @Test
    void allowIncompleteExportsEveryLineMarked() throws IOException {
        Path out = dir.resolve("invoice.csv");

        CommandRun run = export("--report", "invoice_monthly", "--from", "2026-10-01", "--to", "2026-11-01",
                "--out", out.toString(), "--allow-incomplete");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<CSVRecord> lines = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(out, StandardCharsets.UTF_8)).getRecords();
        assertThat(lines).hasSize(12).allSatisfy(line -> assertThat(line.get("completeness")).isEqualTo("incomplete"));
    }

    @Test
    void aCompleteMonthExportsWithoutTheOption() throws IOException {
        load("*", "2026-10-01", "2026-10-20");

        CommandRun run = export("--report", "invoice_monthly", "--from", "2026-10-01", "--to", "2026-11-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<CSVRecord> lines = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new java.io.StringReader(run.out())).getRecords();
        assertThat(lines).hasSize(12).allSatisfy(line -> assertThat(line.get("completeness")).isEqualTo("complete"));
    }

    @Test
    void usageExportsAreNeverRefused() {
        CommandRun run = export("--report", "project_usage_monthly", "--from", "2026-10-01", "--to", "2026-11-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("p-alpha");
    }

    @Test
    void theReaderRoleCanReadCompleteness() {
        String status = db.jdbi().withHandle(h -> {
            h.begin();
            h.execute("SET LOCAL ROLE os_metrics_reader");
            String s = h.createQuery("SELECT status FROM report.completeness WHERE project_id = 'p-alpha'"
                    + " AND period = 'month' AND label = '2026-10'").mapTo(String.class).one();
            String line = h.createQuery("SELECT DISTINCT completeness FROM report.invoice_monthly WHERE month = '2026-10'")
                    .mapTo(String.class).one();
            h.rollback();
            return s + " " + line;
        });
        assertThat(status).isEqualTo("incomplete incomplete");
    }
}

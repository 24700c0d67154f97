package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * {@code invoice} on the small cloud (daily windows, October 2026; EUR rate card) with the customers of
 * examples/customers.csv (p-alpha: "Zürich café – 日本 AG", p-beta: Beta Research, both 21 % tax; p-gamma has none).
 * The PDFs are read back with poppler's pdftotext and rendered with pdftoppm, as CI does.
 */
class InvoiceDocumentsTest {
    private static final String CUSTOMER = "Zürich café – 日本 AG";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @TempDir
    Path dir;
    private Path issuer;

    @BeforeAll
    static void loadSmallCloud() {
        CommandRun run = CommandRun.of(Map.of(), "customers", "import", "examples/customers.csv", "--db-url", db.jdbcUrl());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @BeforeEach
    void octoberCompleteAndNothingIssued() throws IOException {
        db.jdbi().useHandle(h -> {
            h.execute("DELETE FROM metrics.invoice_document");
            h.execute("DELETE FROM metrics.extracted_range");
            h.execute("UPDATE metrics.cloud SET billing_start = '2026-10-01Z'");
        });
        load("2026-10-01", "2026-11-01");
        issuer = dir.resolve("issuer.properties");
        Files.writeString(issuer, "name=Open Cloud Ops GmbH\naddress=Rämistrasse 2\\n8001 Zürich\ntax_id=CHE-999.888.777\n"
                + "number_prefix=OC-\nfooter=Payable within 30 days. Ελληνικά, Кириллица, 日本語.\n", StandardCharsets.UTF_8);
    }

    private static void load(String from, String to) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO metrics.extracted_range (cloud_id, scope, range_start,"
                        + " range_end, stop, provisional, microversion, server_count, extracted_at, run_id)"
                        + " SELECT 1, '*', d, d + interval '1 day', d + interval '1 day', false, '2.40', 3, now(), 1"
                        + " FROM generate_series(CAST(:from AS timestamp), CAST(:to AS timestamp) - interval '1 day',"
                        + " interval '1 day') g, LATERAL (SELECT g AT TIME ZONE 'UTC' AS d) x")
                .bind("from", from).bind("to", to).execute());
    }

    private CommandRun invoice(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("invoice", "--month", "2026-10", "--out", out.toString(),
                "--issuer", issuer.toString(), "--db-url", db.jdbcUrl()));
        args.addAll(List.of(more));
        return CommandRun.of(Map.of(), args.toArray(String[]::new));
    }

    /** The sum of invoice_monthly's amounts of the customer's projects, and that plus 21 % tax rounded half up. */
    private static BigDecimal[] expected(String... projects) {
        BigDecimal subtotal = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(amount) FROM report.invoice_monthly"
                + " WHERE month = '2026-10' AND project_id = ANY(:p)").bindArray("p", String.class, (Object[]) projects)
                .mapTo(BigDecimal.class).one());
        BigDecimal tax = subtotal.multiply(new BigDecimal("0.21")).setScale(2, RoundingMode.HALF_UP);
        return new BigDecimal[] {subtotal, tax, subtotal.add(tax)};
    }

    private static List<String> documents() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT number_text || ' ' || kind || ' ' || customer || ' ' || total"
                + " || ' ' || coalesce(credits::text, '-') || ' ' || coalesce(cancelled_by::text, '-')"
                + " FROM metrics.invoice_document ORDER BY number").mapTo(String.class).list());
    }

    private static String pdftotext(Path pdf) throws IOException, InterruptedException {
        assumeTrue(onPath("pdftotext"), "pdftotext (Debian poppler-utils) is not installed");
        Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anIncompleteMonthIsRefusedWithExit7AndWithAllowIncompleteIssuedMarkedSo() throws Exception {
        db.jdbi().useHandle(h -> h.execute("UPDATE metrics.cloud SET billing_start = NULL;"
                + " DELETE FROM metrics.extracted_range WHERE range_start < '2026-10-20Z'"));

        CommandRun refused = invoice(dir.resolve("out"), "--default-customer", "Beta Research");
        assertThat(refused.exitCode()).isEqualTo(7);
        assertThat(refused.err()).contains("2026-10 is incomplete, missing 2026-10-01T00:00Z/2026-10-20T00:00Z");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(documents()).isEmpty();

        CommandRun run = invoice(dir.resolve("out"), "--default-customer", "Beta Research", "--allow-incomplete");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(documents()).hasSize(2);
        String text = pdftotext(dir.resolve("out/OC-000001.pdf"));
        assertThat(text).contains("INCOMPLETE").contains("--allow-incomplete");
        assertThat(Files.readString(dir.resolve("out/OC-000001.json"))).contains("\"completeness\":\"incomplete\"");
    }

    @Test
    void aProjectWithUsageAndNoCustomerIsRefusedUnlessADefaultCustomerTakesIt() {
        CommandRun refused = invoice(dir.resolve("out"));

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("no customer: p-gamma").contains("--default-customer");
        assertThat(documents()).isEmpty();

        assertThat(invoice(dir.resolve("out"), "--default-customer", "Nobody").exitCode()).isEqualTo(2);
        CommandRun run = invoice(dir.resolve("out"), "--default-customer", "Beta Research");
        assertThat(run.exitCode()).as(run.err()).isZero();
        BigDecimal[] beta = expected("p-beta", "p-gamma");
        assertThat(documents()).contains("OC-000002 invoice Beta Research " + beta[2] + " - -");
    }

    @Test
    void aCompleteMonthIssuesOneDocumentPerCustomerWhoseTotalsEqualInvoiceMonthly() throws Exception {
        CommandRun run = invoice(dir.resolve("out"), "--default-customer", "Beta Research");

        assertThat(run.exitCode()).as(run.err()).isZero();
        BigDecimal[] alpha = expected("p-alpha");
        BigDecimal[] beta = expected("p-beta", "p-gamma");
        assertThat(documents()).containsExactly(
                "OC-000001 invoice " + CUSTOMER + " " + alpha[2] + " - -",
                "OC-000002 invoice Beta Research " + beta[2] + " - -");
        String text = pdftotext(dir.resolve("out/OC-000001.pdf"));
        assertThat(text).contains(CUSTOMER).contains("Open Cloud Ops GmbH").contains("Rämistrasse 2")
                .contains("OC-000001").contains("2026-10").contains("complete")
                .contains(alpha[0] + " EUR").contains(alpha[1] + " EUR").contains(alpha[2] + " EUR")
                .contains("Ελληνικά, Кириллица, 日本語");
        assertThat(Files.readString(dir.resolve("out/OC-000001.html"))).contains(CUSTOMER);
        assertThat(Files.readString(dir.resolve("out/invoices-2026-10.csv"))).contains("OC-000002,invoice");
        assumeTrue(onPath("pdftoppm"), "pdftoppm (Debian poppler-utils) is not installed");
        Process p = new ProcessBuilder("pdftoppm", "-png", "-r", "60", dir.resolve("out/OC-000001.pdf").toString(),
                dir.resolve("page").toString()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Path png = dir.resolve("page-1.png");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(5_000);
        String keep = System.getenv("OS_METRICS_KEEP_INVOICE_PNG");
        if (keep != null) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("out/OC-000002.pdf"), Path.of(keep + ".beta.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void issuingAgainReturnsTheStoredDocumentsByteForByte() throws IOException {
        assertThat(invoice(dir.resolve("first"), "--default-customer", "Beta Research").exitCode()).isZero();
        List<String> before = documents();

        CommandRun again = invoice(dir.resolve("second"), "--default-customer", "Beta Research");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("issued before");
        assertThat(documents()).isEqualTo(before);
        for (String name : List.of("OC-000001.pdf", "OC-000001.html", "OC-000002.pdf", "OC-000002.json")) {
            assertThat(Files.readAllBytes(dir.resolve("second/" + name))).as(name)
                    .isEqualTo(Files.readAllBytes(dir.resolve("first/" + name)));
        }
    }

    @Test
    void aRestatementIssuesACreditNoteAndANewInvoiceNeverASilentChange() throws Exception {
        assertThat(invoice(dir.resolve("first"), "--default-customer", "Beta Research").exitCode()).isZero();
        BigDecimal[] alpha = expected("p-alpha");
        BigDecimal[] betaBefore = expected("p-beta", "p-gamma");
        // a restatement: Nova now says the gpu box did not run on Oct 31
        db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.usage_fact WHERE instance_id = "
                + "'00000000-0000-0000-0000-000000000004' AND window_start = '2026-10-31Z'"));
        BigDecimal[] betaAfter = expected("p-beta", "p-gamma");
        assertThat(betaAfter[2]).isLessThan(betaBefore[2]);

        CommandRun run = invoice(dir.resolve("second"), "--default-customer", "Beta Research");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(documents()).containsExactly(
                "OC-000001 invoice " + CUSTOMER + " " + alpha[2] + " - -",
                "OC-000002 invoice Beta Research " + betaBefore[2] + " - 3",
                "OC-000003 credit_note Beta Research " + betaBefore[2].negate() + " 2 -",
                "OC-000004 invoice Beta Research " + betaAfter[2] + " - -");
        assertThat(Files.readAllBytes(dir.resolve("second/OC-000001.pdf")))
                .isEqualTo(Files.readAllBytes(dir.resolve("first/OC-000001.pdf")));
        assertThat(pdftotext(dir.resolve("second/OC-000003.pdf"))).contains("Credit note OC-000003")
                .contains("cancels invoice OC-000002").contains(betaBefore[2].negate() + " EUR");
    }

    @Test
    void voidCancelsAnInvoiceByACreditNoteAndTheNextIssueNumbersOn() {
        assertThat(invoice(dir.resolve("first"), "--default-customer", "Beta Research").exitCode()).isZero();

        CommandRun run = CommandRun.of(Map.of(), "invoice", "void", "OC-000001", "--issuer", issuer.toString(),
                "--out", dir.resolve("void").toString(), "--db-url", db.jdbcUrl());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("void/OC-000003.pdf")).exists();
        BigDecimal[] alpha = expected("p-alpha");
        assertThat(documents()).contains("OC-000001 invoice " + CUSTOMER + " " + alpha[2] + " - 3",
                "OC-000003 credit_note " + CUSTOMER + " " + alpha[2].negate() + " 1 -");
        CommandRun twice = CommandRun.of(Map.of(), "invoice", "void", "OC-000001", "--issuer", issuer.toString(),
                "--out", dir.resolve("void").toString(), "--db-url", db.jdbcUrl());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("already cancelled by credit note 3");
        // issuing the month again replaces the voided invoice with a new number, gap-free
        assertThat(invoice(dir.resolve("again"), "--default-customer", "Beta Research").exitCode()).isZero();
        assertThat(documents()).last().asString().startsWith("OC-000004 invoice " + CUSTOMER);
    }
}

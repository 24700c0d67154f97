package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.ExitCode;
import org.osmetrics.report.SmallCloudData;
import org.osmetrics.testing.TestDatabaseExtension;

/** {@code os-metrics export} on the small cloud of the report tests (a real PostgreSQL). */
class ExportCommandTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int export(String... arguments) {
        List<String> args = new ArrayList<>(List.of("export"));
        args.addAll(List.of(arguments));
        args.addAll(List.of("--db-url", db.jdbcUrl()));
        return Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    private static List<CSVRecord> parseCsv(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            return parser.getRecords();
        }
    }

    @Test
    void csvRoundTripsQuotesCommasNewlinesNonAsciiAndNeutralisesFormulas() throws IOException {
        Path file = dir.resolve("servers.csv");

        int code = export("--report", "server_usage", "--from", "2026-10-01", "--to", "2026-11-01",
                "--format", "csv", "--out", file.toString(), "--quiet");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("hours,flavor,instance_id,name,tenant_id,memory_mb,local_gb,vcpus,started_at,"
                + "ended_at,state,uptime,project_name,window_start,window_end,cloud,provisional\r\n");
        List<CSVRecord> records = parseCsv(file);
        assertThat(records).hasSize(31 + 15 + 31 + 12 + 1);   // S1, S2 (to the 15th), S3, S4 (from the 20th), S5
        Map<String, CSVRecord> byServer = new HashMap<>();
        records.forEach(r -> byServer.put(r.get("instance_id"), r));
        CSVRecord s2 = byServer.get("00000000-0000-0000-0000-000000000002");
        assertThat(s2.get("name")).isEqualTo("db, \"primary\"");
        assertThat(s2.get("project_name")).isEqualTo("Alpha \"R&D\", Ltd");
        assertThat(s2.get("ended_at")).isEqualTo("2026-10-15T12:00:00Z");
        assertThat(byServer.get("00000000-0000-0000-0000-000000000005").get("project_name")).isEqualTo("Ünïcødé\nteam");
        // formula-like text is neutralised with a leading quote, so a spreadsheet shows it as text
        assertThat(byServer.get("00000000-0000-0000-0000-000000000004").get("name")).isEqualTo("'=gpu-box");
        assertThat(byServer.get("00000000-0000-0000-0000-000000000004").get("project_name")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(byServer.get("00000000-0000-0000-0000-000000000005").get("name")).isEqualTo("'@batch");
        assertThat(byServer.get("00000000-0000-0000-0000-000000000004").get("started_at")).isEqualTo("2026-10-20T06:29:23.123456Z");
        assertThat(byServer.get("00000000-0000-0000-0000-000000000001").get("ended_at")).isEmpty();
        assertThat(byServer.get("00000000-0000-0000-0000-000000000001").get("hours")).isEqualTo("24.0");
    }

    @Test
    void outDashIsStandardOutput() {
        Path dash = Path.of("-");
        assertThat(dash).doesNotExist();
        try {
            assertThat(export("--report", "coverage", "--out", "-", "--quiet")).as(err.toString()).isZero();

            assertThat(out.toString()).startsWith("cloud,scope,project_name,status,");
            assertThat(dash).as("no file named '-'").doesNotExist();
        } finally {
            dash.toFile().delete();
        }
    }

    @Test
    void negativeNumbersStayNumbersInCsv() throws IOException {
        Path file = dir.resolve("reconciliation.csv");

        assertThat(export("--report", "reconciliation", "--project", "p-beta", "--from", "2026-10-15",
                "--to", "2026-10-16", "--out", file.toString())).as(err.toString()).isZero();

        CSVRecord beta = parseCsv(file).get(0);
        assertThat(beta.get("hours_difference")).isEqualTo("-6.0");
        assertThat(beta.get("memory_mb_hours_difference")).isEqualTo("-12288.0");
        assertThat(beta.get("matches")).isEqualTo("false");
    }

    @Test
    void invoiceAsJsonIsAnArrayOfRowsWithExactAmounts() throws IOException {
        Path file = dir.resolve("invoice.json");

        // the small cloud's October has gaps: the lines are exported marked incomplete
        assertThat(export("--report", "invoice_monthly", "--from", "2026-10-01", "--to", "2026-11-01",
                "--format", "json", "--out", file.toString(), "--allow-incomplete")).as(err.toString()).isZero();

        JsonNode rows = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(file.toFile());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(12);
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode row : rows) {
            total = total.add(row.get("amount").decimalValue());
        }
        assertThat(total).isEqualByComparingTo("779.09");
        assertThat(rows.get(0).get("month").asText()).isEqualTo("2026-10");
        assertThat(rows.get(0).get("month_start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(Files.readAllLines(file)).hasSize(12 + 2);   // "[", one row per line, "]"
    }

    @Test
    void documentsAsJsonLinesAreTheOldFilesOneLineEach() throws IOException {
        Path file = dir.resolve("documents.jsonl");

        assertThat(export("--report", "tenant_usage_document", "--project", "p-beta", "--format", "jsonl",
                "--out", file.toString())).as(err.toString()).isZero();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT document::text FROM "
                + "report.tenant_usage_document WHERE project_id = 'p-beta' ORDER BY range_start").mapTo(String.class).list());
        assertThat(lines).containsExactlyElementsOf(stored).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("tenant_id").asText()).isEqualTo("p-beta");
        assertThat(first.get("start").asText()).isEqualTo("2026-10-15T00:00:00.000000");
    }

    @Test
    void projectCanBeGivenByName() {
        assertThat(export("--report", "project_usage_monthly", "--project", "Ünïcødé\nteam")).isZero();
        assertThat(out.toString()).contains("p-gamma").doesNotContain("p-alpha", "p-beta");
    }

    @Test
    void unknownReportListsTheValidOnes() {
        int code = export("--report", "invoices");

        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("unknown report 'invoices'", "server_usage", "project_usage_daily",
                "project_usage_monthly", "tenant_usage_document", "coverage", "reconciliation", "invoice_monthly");
    }

    @Test
    void failedExportLeavesTheOutputFileUntouched() throws IOException {
        Path file = dir.resolve("kept.csv");
        Files.writeString(file, "previous export\n");

        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "export",
                "--report", "server_usage", "--out", file.toString(),
                "--db-url", "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2");

        assertThat(code).isEqualTo(ExitCode.DATABASE.code());
        assertThat(Files.readString(file)).isEqualTo("previous export\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void everyReportExportsInEveryFormat() throws IOException {
        for (String report : List.of("server_usage", "project_usage_daily", "project_usage_monthly",
                "tenant_usage_document", "coverage", "reconciliation", "invoice_monthly")) {
            for (String format : List.of("csv", "json", "jsonl")) {
                Path file = dir.resolve(report + "." + format);
                assertThat(export("--report", report, "--format", format, "--out", file.toString(), "--quiet",
                        "--allow-incomplete"))
                        .as(report + " " + format + ": " + err).isZero();
                assertThat(Files.size(file)).as(report + " " + format).isPositive();
            }
        }
    }

    private String exported(String... arguments) throws IOException {
        Path file = Files.createTempFile(dir, "export", ".csv");
        List<String> args = new ArrayList<>(List.of(arguments));
        args.addAll(List.of("--out", file.toString(), "--quiet"));
        assertThat(export(args.toArray(String[]::new))).as(err.toString()).isZero();
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static List<List<String>> records(String csv, char delimiter) throws IOException {
        List<List<String>> records = new ArrayList<>();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter).get().parse(new java.io.StringReader(csv))) {
            parser.forEach(r -> records.add(r.toList()));
        }
        return records;
    }

    @Test
    void excelDialectStartsWithTheByteOrderMarkEndsLinesWithCrlfAndSemicolonsAreQuoted() throws IOException {
        Path file = dir.resolve("excel.csv");
        assertThat(export("--report", "server_usage", "--from", "2026-10-01", "--to", "2026-11-01", "--csv-dialect", "excel",
                "--delimiter", ";", "--out", file.toString(), "--quiet")).as(err.toString()).isZero();

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith("hours;flavor;instance_id;name;tenant_id;").endsWith("\r\n").doesNotContain("\uFEFF");
        String standard = exported("--report", "server_usage", "--from", "2026-10-01", "--to", "2026-11-01");
        // the same cells (Nova's hours unrounded, non-ASCII names, the formula guard), only the delimiter differs
        assertThat(records(text, ';')).isEqualTo(records(standard, ',')).hasSize(1 + 31 + 15 + 31 + 12 + 1);
        assertThat(text.split("\r\n(?=[0-9])")).hasSize(1 + 31 + 15 + 31 + 12 + 1);   // every record ends CRLF
        assertThat(text).contains(";'=gpu-box;", ";'@batch;", "\"'=HYPERLINK(\"\"http://x\"\")\"", "\"Ünïcødé\nteam\"");
        // a comma is no longer the delimiter: a cell with one is quoted only because of its double quotes
        assertThat(text).contains(";\"db, \"\"primary\"\"\";");
    }

    @Test
    void serverUsageInTheExcelDialectKeepsNovasNumbers() throws IOException {
        String excel = exported("--report", "server_usage", "--csv-dialect", "excel");
        String standard = exported("--report", "server_usage");

        assertThat(excel).isEqualTo("\uFEFF" + standard);
    }

    @Test
    void excelDialectRoundsTheInvoicesQuantitiesOnlyAndKeepsTheAmounts() throws IOException {
        List<List<String>> excel = records(exported("--report", "invoice_monthly", "--allow-incomplete",
                "--csv-dialect", "excel", "--delimiter", "tab").substring(1), '\t');
        List<List<String>> standard = records(exported("--report", "invoice_monthly", "--allow-incomplete"), ',');

        assertThat(excel).hasSameSizeAs(standard).hasSizeGreaterThan(1);
        List<String> header = standard.get(0);
        assertThat(excel.get(0)).isEqualTo(header);
        int quantity = header.indexOf("quantity");
        int changed = 0;
        for (int r = 1; r < standard.size(); r++) {
            List<String> expected = new ArrayList<>(standard.get(r));
            BigDecimal rounded = new BigDecimal(expected.get(quantity)).setScale(6, java.math.RoundingMode.HALF_UP);
            assertThat(new BigDecimal(excel.get(r).get(quantity))).isEqualByComparingTo(rounded);
            assertThat(excel.get(r).get(quantity)).matches("-?[0-9]+(\\.[0-9]{1,6})?");
            changed += expected.get(quantity).equals(excel.get(r).get(quantity)) ? 0 : 1;
            expected.set(quantity, excel.get(r).get(quantity));
            assertThat(excel.get(r)).as("every other cell, amount included").isEqualTo(expected);
        }
        assertThat(changed).as("quantities with more than 6 decimals, rounded").isPositive();
    }

    @Test
    void monthIsTheMatchingFromToExport() throws IOException {
        for (String report : List.of("server_usage", "project_usage_daily", "invoice_monthly")) {
            String byMonth = exported("--report", report, "--month", "2026-10", "--allow-incomplete");
            String byRange = exported("--report", report, "--from", "2026-10-01", "--to", "2026-11-01", "--allow-incomplete");
            assertThat(byMonth).as(report).isEqualTo(byRange).isNotEqualTo(exported("--report", report, "--allow-incomplete"));
        }
    }

    @Test
    void monthWithFromOrToAndBadSpreadsheetOptionsAreRefusedWithExit2() {
        assertThat(export("--report", "server_usage", "--month", "2026-10", "--from", "2026-10-01")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("--month cannot be combined with --from or --to");
        assertThat(export("--report", "server_usage", "--month", "2026-10", "--to", "2026-11-01")).isEqualTo(ExitCode.USAGE.code());
        assertThat(export("--report", "server_usage", "--month", "October")).isEqualTo(ExitCode.USAGE.code());
        assertThat(export("--report", "server_usage", "--delimiter", "x")).isEqualTo(ExitCode.USAGE.code());
        assertThat(export("--report", "server_usage", "--csv-dialect", "lotus")).isEqualTo(ExitCode.USAGE.code());
        assertThat(export("--report", "server_usage", "--format", "json", "--csv-dialect", "excel")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("apply to --format csv only");
        assertThat(out.toString()).isEmpty();
    }
}

package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.ExitCode;
import org.osmetrics.testing.TestDatabaseExtension;

class RatesCommandTest {
    private static final String HEADER = "resource,flavor,unit_price,currency,valid_from,valid_to\n";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();


    @BeforeEach
    void emptyRateCard() {
        db.jdbi().useHandle(handle -> handle.execute("DELETE FROM metrics.rate_card"));
    }

    private int rates(String... arguments) {
        String[] args = new String[arguments.length + 2];
        System.arraycopy(arguments, 0, args, 0, arguments.length);
        args[arguments.length] = "--db-url";
        args[arguments.length + 1] = db.jdbcUrl();
        return Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("rates.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private List<String> rateCard() {
        return db.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT resource || ' ' || coalesce(flavor, '-') || ' ' || unit_price || ' ' || currency || ' '"
                        + " || minor_units || ' ' || to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' '"
                        + " || coalesce(to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'open') || ' ' || source"
                        + " FROM metrics.rate_card ORDER BY resource, valid_from").mapTo(String.class).list());
    }

    @Test
    void exampleRateCardImportsAndIsListed() {
        int code = rates("rates", "import", "examples/rates.csv");

        assertThat(code).as(err.toString()).isZero();
        assertThat(rateCard()).containsExactly(
                "disk_gb_hour - 0.0001 EUR 2 2026-01-01 open rates.csv line 10",
                "flavor_hour gpu.xl 2.50 EUR 2 2026-01-01 open rates.csv line 11",
                "ram_gb_hour - 0.0020 EUR 2 2026-01-01 open rates.csv line 9",
                "vcpu_hour - 0.0100 EUR 2 2026-01-01 2026-10-16 rates.csv line 7",
                "vcpu_hour - 0.0120 EUR 2 2026-10-16 open rates.csv line 8");
        Long runs = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM metrics.run WHERE command = 'rates import' AND status = 'succeeded'").mapTo(Long.class).one());
        assertThat(runs).isPositive();
        // analysed by the import: the planner knows the card's size (autovacuum would never analyse it)
        Float analysedRows = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reltuples FROM pg_class WHERE oid = 'metrics.rate_card'::regclass").mapTo(Float.class).one());
        assertThat(analysedRows).isEqualTo(5.0f);

        assertThat(rates("rates", "list")).isZero();
        assertThat(out.toString()).contains("flavor_hour", "gpu.xl", "2.50", "2026-10-16T00:00:00Z");
    }

    @Test
    void overlappingRangesAreRefusedWithTheLineNumber() throws IOException {
        Path file = file(HEADER
                + "vcpu_hour,,0.01,EUR,2026-01-01,2026-11-01\n"
                + "ram_gb_hour,,0.002,EUR,2026-01-01,\n"
                + "vcpu_hour,,0.012,EUR,2026-10-16,\n");

        int code = rates("rates", "import", file.toString());

        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("rates.csv line 4", "overlaps", "rates.csv line 2");
        assertThat(rateCard()).isEmpty();
    }

    @Test
    void unknownResourceIsRefusedWithTheLineNumberAndTheValidOnes() throws IOException {
        Path file = file(HEADER
                + "vcpu_hour,,0.01,EUR,2026-01-01,\n"
                + "gpu_hour,,1.00,EUR,2026-01-01,\n");

        int code = rates("rates", "import", file.toString());

        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("rates.csv line 3", "unknown resource 'gpu_hour'", "vcpu_hour, ram_gb_hour");
        assertThat(rateCard()).isEmpty();
    }

    @Test
    void badValuesAreRefusedWithTheLineNumber() throws IOException {
        assertRefused(HEADER + "vcpu_hour,,-0.01,EUR,2026-01-01,\n", "line 2", "negative");
        assertRefused(HEADER + "vcpu_hour,,0.01,EURO,2026-01-01,\n", "line 2", "ISO 4217");
        assertRefused(HEADER + "vcpu_hour,,0.01,EUR,2026-02-30,\n", "line 2", "valid_from");
        assertRefused(HEADER + "vcpu_hour,,0.01,EUR,2026-03-01,2026-02-01\n", "line 2", "not before valid_to");
        assertRefused(HEADER + "flavor_hour,,0.01,EUR,2026-03-01,\n", "line 2", "flavor");
        assertRefused(HEADER + "vcpu_hour,,0.01,EUR,2026-01-01,\nram_gb_hour,,0.002,USD,2026-06-01,\n", "line 3", "currency");
        assertRefused("resource,price\nvcpu_hour,0.01\n", "line 1", "header");
    }

    @Test
    void pricesBeyondTheRateCardsPrecisionAreRefusedWithTheLineAndTheCardIsUnchanged() throws IOException {
        assertThat(rates("rates", "import", file(HEADER + "ram_gb_hour,,0.002,EUR,2026-01-01,\n").toString())).isZero();
        List<String> card = rateCard();
        String good = "disk_gb_hour,,0.0001,EUR,2026-01-01,\n";

        assertPriceRefused(good + "vcpu_hour,,1e400,EUR,2026-01-01,\n", "line 3", "unit_price 1e400 is too large",
                "at most 999999999.9999999999");
        assertPriceRefused(good + "vcpu_hour,,1000000000,EUR,2026-01-01,\n", "line 3", "too large");
        assertPriceRefused(good + "vcpu_hour,,0.00000000001,EUR,2026-01-01,\n", "line 3",
                "unit_price 0.00000000001 has 11 decimal places", "at most 10", "not rounded");
        assertPriceRefused(good + "vcpu_hour,,1e-11,EUR,2026-01-01,\n", "line 3", "11 decimal places");
        assertPriceRefused(good + "vcpu_hour,,-1e400,EUR,2026-01-01,\n", "line 3", "negative");
        assertPriceRefused(good + "vcpu_hour,,NaN,EUR,2026-01-01,\n", "line 3", "'NaN' is not a decimal number");
        assertPriceRefused(good + "vcpu_hour,,Infinity,EUR,2026-01-01,\n", "line 3", "'Infinity' is not a decimal number");
        assertPriceRefused(good + "vcpu_hour,,-Infinity,EUR,2026-01-01,\n", "line 3", "'-Infinity' is not a decimal number");
        assertPriceRefused(good + "vcpu_hour,,1e999999999,EUR,2026-01-01,\n", "line 3", "too large");
        assertThat(rateCard()).as("the card is unchanged").isEqualTo(card);

        // the bounds themselves are prices; trailing zeros past the tenth decimal place lose nothing
        assertThat(rates("rates", "import", file(HEADER + "vcpu_hour,,999999999.9999999999,EUR,2026-01-01,\n"
                + "disk_gb_hour,,0.00000000010000,EUR,2026-01-01,\n").toString())).as(err.toString()).isZero();
        List<BigDecimal> prices = db.jdbi().withHandle(h -> h.createQuery("SELECT unit_price FROM metrics.rate_card"
                + " WHERE resource <> 'ram_gb_hour' ORDER BY resource").mapTo(BigDecimal.class).list());
        assertThat(prices).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.0000000001"), new BigDecimal("999999999.9999999999"));
    }

    @Test
    void theDatabaseRefusesAPriceBeyondTheRateCardsPrecisionFromAnyWriter() {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.run (command, arguments, started_at, status) VALUES ('test', '', now(), 'succeeded')"));
        for (String price : List.of("1e400", "0.00000000001", "'NaN'")) {
            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO metrics.rate_card (resource, unit_price, currency, minor_units, valid_from, source, run_id)"
                            + " SELECT 'vcpu_hour', " + price + ", 'EUR', 2, now(), 'sql', max(run_id) FROM metrics.run")))
                    .as(price).hasMessageContaining("rate_card_unit_price_within_numeric_19_10");
        }
    }

    private void assertPriceRefused(String lines, String... expected) throws IOException {
        int before = err.toString().length();
        int code = rates("rates", "import", file(HEADER + lines).toString());
        assertThat(code).as(lines).isEqualTo(ExitCode.USAGE.code());
        String message = err.toString().substring(before);
        assertThat(message).as(lines).contains("rates.csv " + expected[0]).contains(expected).hasLineCount(1)
                .hasSizeLessThan(300);
    }

    private void assertRefused(String content, String... expected) throws IOException {
        StringWriter before = new StringWriter();
        before.write(err.toString());
        int code = rates("rates", "import", file(content).toString());
        assertThat(code).as(content).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString().substring(before.toString().length())).as(content).contains(expected);
        assertThat(rateCard()).isEmpty();
    }

    @Test
    void importAddsToTheRateCardRefusesOverlapsWithItAndReplaceStartsAfresh() throws IOException {
        assertThat(rates("rates", "import", file(HEADER + "vcpu_hour,,0.01,EUR,2026-01-01,2026-10-16\n").toString())).isZero();
        assertThat(rates("rates", "import", file(HEADER + "vcpu_hour,,0.012,EUR,2026-10-16,\n").toString())).isZero();
        assertThat(rateCard()).hasSize(2);

        int overlapping = rates("rates", "import", file(HEADER + "vcpu_hour,,0.02,EUR,2026-12-01,\n").toString());
        assertThat(overlapping).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("rates.csv line 2", "overlaps", "2026-10-16T00:00:00Z, open");
        String lastRun = db.jdbi().withHandle(h -> h.createQuery("SELECT status || ': ' || error FROM metrics.run "
                + "WHERE command = 'rates import' ORDER BY run_id DESC LIMIT 1").mapTo(String.class).one());
        assertThat(lastRun).startsWith("failed: rate card refused: rates.csv line 2");

        assertThat(rates("rates", "import", "--replace", file(HEADER + "vcpu_hour,,0.02,CHF,2026-12-01,\n").toString())).isZero();
        assertThat(rateCard()).containsExactly("vcpu_hour - 0.02 CHF 2 2026-12-01 open rates.csv line 2");
        BigDecimal price = db.jdbi().withHandle(h -> h.createQuery("SELECT unit_price FROM metrics.rate_card").mapTo(BigDecimal.class).one());
        assertThat(price).isEqualByComparingTo("0.02");
    }

    @Test
    void aFileSavedAsCsvUtf8ByASpreadsheetWithAByteOrderMarkIsAccepted() throws IOException {
        assertThat(rates("rates", "import", file("\uFEFF" + HEADER + "vcpu_hour,,0.01,EUR,2026-01-01,\n").toString()))
                .as(err.toString()).isZero();
        assertThat(rateCard()).containsExactly("vcpu_hour - 0.01 EUR 2 2026-01-01 open rates.csv line 2");
    }

    @Test
    void importingTheSameFileTwiceSaysItWasProbablyImportedAlready() throws IOException {
        Path example = Path.of("examples", "rates.csv");
        assertThat(rates("rates", "import", example.toString())).as(err.toString()).isZero();

        assertThat(rates("rates", "import", example.toString())).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("rates.csv line 7: vcpu_hour [2026-01-01T00:00:00Z, 2026-10-16T00:00:00Z)"
                        + " overlaps the price already in the rate card vcpu_hour [2026-01-01T00:00:00Z,"
                        + " 2026-10-16T00:00:00Z) at 0.0100 EUR (imported from rates.csv line 7)",
                "probably imported already").doesNotContain("overlaps vcpu_hour");
    }

    @Test
    void aDataDirThatIsAFileIsSaidToBeAFile() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("data"), "x");

        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "rates", "list",
                "--data-dir", notAFolder.toString());

        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains(notAFolder + " is a file, not a directory");
    }
}

package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

class CsvRowWriterTest {

    @Test
    void textStartingAFormulaGetsALeadingQuoteAndOtherTextIsKept() {
        assertThat(CsvRowWriter.neutralise("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvRowWriter.neutralise("+33 1 23")).isEqualTo("'+33 1 23");
        assertThat(CsvRowWriter.neutralise("-rm")).isEqualTo("'-rm");
        assertThat(CsvRowWriter.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvRowWriter.neutralise("\tx")).isEqualTo("'\tx");
        assertThat(CsvRowWriter.neutralise("\rx")).isEqualTo("'\rx");
        assertThat(CsvRowWriter.neutralise("web-1")).isEqualTo("web-1");
        assertThat(CsvRowWriter.neutralise("a=b")).isEqualTo("a=b");
        assertThat(CsvRowWriter.neutralise("")).isEmpty();
    }

    @Test
    void numbersAreWrittenPlainAndNeverNeutralised() throws Exception {
        StringWriter out = new StringWriter();
        CsvRowWriter writer = new CsvRowWriter(out);
        writer.begin(List.of(new ExportColumn("name", ColumnKind.TEXT), new ExportColumn("difference", ColumnKind.DOUBLE),
                new ExportColumn("memory", ColumnKind.DOUBLE), new ExportColumn("amount", ColumnKind.DECIMAL)));
        writer.row(new Object[] {"-x", -6.0, 64305932.515555546, new BigDecimal("-0.50")});
        writer.row(new Object[] {null, 1.0E-5, null, new BigDecimal("1E+3")});
        writer.end();

        assertThat(out.toString()).isEqualTo("name,difference,memory,amount\r\n"
                + "'-x,-6.0,64305932.515555546,-0.50\r\n"
                + ",0.00001,,1000\r\n");
    }

    /** What the writer wrote before it wrote its own characters: the cells printed by Commons CSV's RFC 4180 format. */
    private static String commonsCsv(List<ExportColumn> columns, List<Object[]> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        CSVPrinter printer = CSVFormat.RFC4180.builder()
                .setHeader(columns.stream().map(ExportColumn::name).toArray(String[]::new))
                .get()
                .print(out);
        for (Object[] row : rows) {
            String[] cells = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                Object value = row[i];
                cells[i] = value == null ? null
                        : columns.get(i).kind() == ColumnKind.TEXT ? CsvRowWriter.neutralise((String) value)
                        : Values.text(value);
            }
            printer.printRecord((Object[]) cells);
        }
        printer.flush();
        return out.toString();
    }

    private static String ours(List<ExportColumn> columns, List<Object[]> rows) throws IOException {
        StringWriter out = new StringWriter();
        CsvRowWriter writer = new CsvRowWriter(out);
        writer.begin(columns);
        for (Object[] row : rows) {
            writer.row(row.clone());
        }
        writer.end();
        return out.toString();
    }

    private static final String[] PIECES = {"", ",", "\"", "\r", "\n", "\r\n", " ", "\t", "#", "!", "\u0000", "\u001f",
        "=", "+", "-", "@", "'", "$", "a", "Z", "é", "Ü", "\uD83D\uDE00", "web-1", "x y", "\"\"", "\\", ";"};

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static Object randomValue(Random random, ColumnKind kind) {
        if (random.nextInt(6) == 0) {
            return null;
        }
        return switch (kind) {
            case TEXT, JSON -> randomText(random);
            case INTEGER -> random.nextInt(3) == 0 ? (long) random.nextInt(3) : random.nextLong();
            case DOUBLE -> switch (random.nextInt(5)) {
                case 0 -> 24.0;
                case 1 -> -6.0;
                case 2 -> 1e-7 * random.nextInt(100);
                case 3 -> 22315008.0;
                default -> random.nextDouble() * 1e9;
            };
            case DECIMAL -> new BigDecimal(random.nextInt(20_000) - 10_000).movePointLeft(random.nextInt(4));
            case BOOLEAN -> random.nextBoolean();
            case TIMESTAMP -> Instant.ofEpochSecond(1_790_000_000L + random.nextInt(3) * 3600L, random.nextInt(2) * 500_000L);
            case DATE -> LocalDate.of(2026, 10, 1 + random.nextInt(3));
        };
    }

    @Test
    void writesTheCharactersCommonsCsvWroteForTrickyTextAndEveryKindOfValue() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<ExportColumn> columns = new ArrayList<>();
            int width = 1 + random.nextInt(5);
            for (int i = 0; i < width; i++) {
                ColumnKind kind = ColumnKind.values()[random.nextInt(ColumnKind.values().length)];
                columns.add(new ExportColumn(random.nextInt(4) == 0 ? randomText(random) : "c" + i, kind));
            }
            List<Object[]> rows = new ArrayList<>();
            int count = random.nextInt(40);
            for (int r = 0; r < count; r++) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = randomValue(random, columns.get(i).kind());
                }
                rows.add(row);
                if (random.nextBoolean()) {
                    rows.add(row.clone());   // repeated values: the writer's per-column memory
                }
            }
            assertThat(ours(columns, rows)).as("round %d", round).isEqualTo(commonsCsv(columns, rows));
        }
    }

    @Test
    void quotesCellsExactlyWhereCommonsCsvDoes() throws IOException {
        List<ExportColumn> columns = List.of(new ExportColumn("a", ColumnKind.TEXT), new ExportColumn("b", ColumnKind.TEXT));
        List<Object[]> rows = new ArrayList<>();
        for (String first : PIECES) {
            for (String second : PIECES) {
                rows.add(new Object[] {first + second, second + first});
                rows.add(new Object[] {first, "x" + second});
            }
        }
        rows.add(new Object[] {"", ""});
        rows.add(new Object[] {null, ""});
        rows.add(new Object[] {"", null});
        rows.add(new Object[] {"a".repeat(200_000) + ",", "big"});   // larger than the buffer
        assertThat(ours(columns, rows)).isEqualTo(commonsCsv(columns, rows));
    }
}

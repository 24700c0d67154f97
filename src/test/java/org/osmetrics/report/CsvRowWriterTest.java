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
        return commonsCsv(columns, rows, ',');
    }

    private static String commonsCsv(List<ExportColumn> columns, List<Object[]> rows, char delimiter) throws IOException {
        StringBuilder out = new StringBuilder();
        CSVPrinter printer = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
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
        return ours(columns, rows, new StringWriter(), out -> new CsvRowWriter(out));
    }

    private static String ours(List<ExportColumn> columns, List<Object[]> rows, StringWriter out,
            java.util.function.Function<StringWriter, CsvRowWriter> writers) throws IOException {
        CsvRowWriter writer = writers.apply(out);
        writer.begin(columns);
        for (Object[] row : rows) {
            writer.row(row.clone());
        }
        writer.end();
        return out.toString();
    }

    private static final String[] PIECES = {"", ",", "\"", "\r", "\n", "\r\n", " ", "\t", "#", "!", "\u0000", "\u001f",
        "=", "+", "-", "@", "'", "$", "a", "Z", "é", "Ü", "\uD83D\uDE00", "web-1", "x y", "\"\"", "\\", ";", "|", ":"};

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

    @Test
    void anyDelimiterInEitherDialectQuotesAsCommonsCsvDoesWithThatDelimiter() throws IOException {
        List<ExportColumn> columns = List.of(new ExportColumn("a", ColumnKind.TEXT), new ExportColumn("b;c", ColumnKind.TEXT),
                new ExportColumn("n", ColumnKind.DOUBLE));
        List<Object[]> rows = new ArrayList<>();
        for (String first : PIECES) {
            for (String second : PIECES) {
                rows.add(new Object[] {first + second, second + first, -1.5});
                rows.add(new Object[] {first, "x" + second, null});
            }
        }
        for (char delimiter : ExportRequest.DELIMITERS.toCharArray()) {
            for (CsvDialect dialect : CsvDialect.values()) {
                String expected = (dialect == CsvDialect.EXCEL ? "\uFEFF" : "") + commonsCsv(columns, rows, delimiter);
                assertThat(ours(columns, rows, new StringWriter(),
                        out -> new CsvRowWriter(out, dialect, delimiter, java.util.Set.of())))
                        .as("delimiter %s, %s", delimiter, dialect).isEqualTo(expected);
            }
        }
    }

    @Test
    void semicolonCellsAreQuotedAndFormulasGuardedInTheExcelDialect() throws IOException {
        List<ExportColumn> columns = List.of(new ExportColumn("name", ColumnKind.TEXT), new ExportColumn("n", ColumnKind.DOUBLE));
        StringWriter out = new StringWriter();
        String csv = ours(columns, List.<Object[]>of(new Object[] {"a;b", 1.5}, new Object[] {"=SUM(A1);x", -2.0},
                new Object[] {"@cmd", null}, new Object[] {"Zürich", 3.0}), out,
                w -> new CsvRowWriter(w, CsvDialect.EXCEL, ';', java.util.Set.of()));
        assertThat(csv).isEqualTo("\uFEFFname;n\r\n\"a;b\";1.5\r\n\"'=SUM(A1);x\";-2.0\r\n'@cmd;\r\nZürich;3.0\r\n");
    }

    @Test
    void excelDialectRoundsOnlyTheColumnsItIsGivenAndOnlyThere() throws IOException {
        List<ExportColumn> columns = List.of(new ExportColumn("quantity", ColumnKind.DECIMAL),
                new ExportColumn("amount", ColumnKind.DECIMAL), new ExportColumn("hours", ColumnKind.DOUBLE));
        List<Object[]> rows = List.of(new Object[] {new BigDecimal("1.23456749999"), new BigDecimal("0.1234567"), 0.1234567},
                new Object[] {new BigDecimal("2.0000005"), new BigDecimal("7"), 1.0},
                new Object[] {new BigDecimal("-0.0000004"), null, null},
                new Object[] {new BigDecimal("12345678901.5"), new BigDecimal("1E+3"), 2.0});
        java.util.Set<String> quantity = java.util.Set.of("quantity", "hours");
        assertThat(ours(columns, rows, new StringWriter(), w -> new CsvRowWriter(w, CsvDialect.EXCEL, ',', quantity)))
                .isEqualTo("\uFEFFquantity,amount,hours\r\n1.234567,0.1234567,0.1234567\r\n2.000001,7,1.0\r\n"
                        + "0,,\r\n12345678901.5,1000,2.0\r\n");
        assertThat(ours(columns, rows, new StringWriter(), w -> new CsvRowWriter(w, CsvDialect.RFC4180, ',', quantity)))
                .isEqualTo(ours(columns, rows));
    }
}

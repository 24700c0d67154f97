package org.osmetrics.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV (comma, double quotes, CRLF) with a header row, through Commons CSV. Text cells that a
 * spreadsheet would take for a formula are neutralised (see {@link #neutralise}); numbers, times and
 * booleans are written as they are, so a negative number stays a number.
 */
final class CsvRowWriter implements RowWriter {
    private final Writer out;
    private CSVPrinter printer;
    private List<ExportColumn> columns;
    private String[] cells;

    CsvRowWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void begin(List<ExportColumn> columns) throws IOException {
        this.columns = columns;
        this.cells = new String[columns.size()];
        printer = CSVFormat.RFC4180.builder()
                .setHeader(columns.stream().map(ExportColumn::name).toArray(String[]::new))
                .get()
                .print(out);
    }

    @Override
    public void row(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                cells[i] = null;
            } else if (columns.get(i).kind() == ColumnKind.TEXT) {
                cells[i] = neutralise((String) value);
            } else {
                cells[i] = Values.text(value);
            }
        }
        printer.printRecord((Object[]) cells);
    }

    @Override
    public void end() throws IOException {
        printer.flush();
    }

    /**
     * The OWASP rule against CSV injection: a text cell starting with {@code = + - @}, a tab or a carriage
     * return gets a leading single quote, so a spreadsheet shows it as text instead of evaluating it.
     */
    static String neutralise(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }
}

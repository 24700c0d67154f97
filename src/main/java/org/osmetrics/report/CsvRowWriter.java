package org.osmetrics.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV (comma, double quotes, CRLF) with a header row, through Commons CSV. Text cells that a
 * spreadsheet would take for a formula are neutralised (see {@link #neutralise}); numbers, times and
 * booleans are written as they are, so a negative number stays a number.
 */
final class CsvRowWriter implements RowWriter {
    /** Characters of rows gathered before they go to the writer in one call. */
    private static final int CHUNK = 1 << 16;
    /** Distinct instants whose text is remembered (bounded: memory stays constant). */
    private static final int INSTANT_CACHE = 1 << 16;

    private final Writer out;
    /** Commons CSV prints into this, not into the writer: one call per chunk instead of per field. */
    private final StringBuilder chunk = new StringBuilder(CHUNK + 4096);
    private final Map<Instant, String> instantTexts = new HashMap<>();
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
                .print(chunk);
    }

    @Override
    public void row(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                cells[i] = null;
            } else if (columns.get(i).kind() == ColumnKind.TEXT) {
                cells[i] = neutralise((String) value);
            } else if (value instanceof Instant instant) {
                cells[i] = instantText(instant);
            } else {
                cells[i] = Values.text(value);
            }
        }
        printer.printRecord((Object[]) cells);
        if (chunk.length() >= CHUNK) {
            out.append(chunk);
            chunk.setLength(0);
        }
    }

    @Override
    public void end() throws IOException {
        out.append(chunk);
        chunk.setLength(0);
        out.flush();
    }

    /** Windows and launch times repeat on every window of a server: each is formatted once. */
    private String instantText(Instant instant) {
        String text = instantTexts.get(instant);
        if (text == null) {
            if (instantTexts.size() >= INSTANT_CACHE) {
                instantTexts.clear();
            }
            text = Values.instant(instant);
            instantTexts.put(instant, text);
        }
        return text;
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

package org.osmetrics.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * RFC 4180 CSV (comma, double quotes, CRLF) with a header row: the output of Commons CSV's
 * {@code CSVFormat.RFC4180} printer, character for character (CsvRowWriterTest compares them), written straight
 * into a character buffer. Text cells that a spreadsheet would take for a formula are neutralised (see
 * {@link #neutralise}); numbers, times and booleans are written as they are, so a negative number stays a number.
 *
 * <p>Quoting, as Commons CSV's minimal mode does it: a cell is quoted when it is empty and first on its line,
 * starts with a character at or below {@code #} (space, tab, {@code !}, {@code "}, ...), contains a comma, a
 * double quote, CR or LF, or ends with a character at or below space; a double quote inside is doubled. A null
 * is an empty cell, never quoted.
 *
 * <p>Another delimiter than the comma (e.g. {@code ;}) takes the comma's place in that rule: a cell containing it
 * is quoted. The {@link CsvDialect#EXCEL excel} dialect writes a byte-order mark first and rounds the columns it is
 * given (a priced report's quantities) to {@link CsvDialect#QUANTITY_SCALE} decimals.
 */
final class CsvRowWriter implements RowWriter {
    /** Characters of rows gathered before they go to the writer in one call. */
    private static final int CHUNK = 1 << 16;
    /** Slots of the instant text cache (a power of two; bounded: memory stays constant). */
    private static final int INSTANT_CACHE = 1 << 16;

    private final Writer out;
    private final char delimiter;
    private final boolean byteOrderMark;
    /** Names of the DECIMAL columns rounded to {@link CsvDialect#QUANTITY_SCALE} decimals. */
    private final Set<String> roundedColumns;
    private boolean[] rounded;
    private char[] buffer = new char[CHUNK + 4096];
    private int length;
    /** Direct-mapped: an instant's text in the slot of its hash, replaced by the next instant of that slot. */
    private final Instant[] cachedInstants = new Instant[INSTANT_CACHE];
    private final String[] cachedInstantTexts = new String[INSTANT_CACHE];
    private List<ExportColumn> columns;
    private boolean[] text;
    /** Per column, the last value written and its cell: consecutive rows often repeat a value (window, flavor). */
    private Object[] lastValues;
    private String[] lastCells;

    /** RFC 4180: comma, no byte-order mark, every number as it is. */
    CsvRowWriter(Writer out) {
        this(out, CsvDialect.RFC4180, ',', Set.of());
    }

    /**
     * @param roundedColumns DECIMAL columns the {@link CsvDialect#EXCEL excel} dialect rounds (ignored in the
     *                       other dialect)
     */
    CsvRowWriter(Writer out, CsvDialect dialect, char delimiter, Set<String> roundedColumns) {
        this.out = out;
        this.delimiter = delimiter;
        this.byteOrderMark = dialect == CsvDialect.EXCEL;
        this.roundedColumns = dialect == CsvDialect.EXCEL ? Set.copyOf(roundedColumns) : Set.of();
    }

    @Override
    public void begin(List<ExportColumn> columns) throws IOException {
        this.columns = columns;
        this.text = new boolean[columns.size()];
        this.lastValues = new Object[columns.size()];
        this.lastCells = new String[columns.size()];
        this.rounded = new boolean[columns.size()];
        if (byteOrderMark) {
            append(CsvDialect.BYTE_ORDER_MARK);
        }
        for (int i = 0; i < columns.size(); i++) {
            text[i] = columns.get(i).kind() == ColumnKind.TEXT;
            rounded[i] = columns.get(i).kind() == ColumnKind.DECIMAL && roundedColumns.contains(columns.get(i).name());
            if (i > 0) {
                append(delimiter);
            }
            append(cell(columns.get(i).name(), i == 0));
        }
        append('\r');
        append('\n');
    }

    @Override
    public void row(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                append(delimiter);
            }
            Object value = values[i];
            if (value == null) {
                continue;
            }
            Object last = lastValues[i];
            String cell;
            // text: the same object only (comparing different texts costs what writing them does)
            if (value == last || !text[i] && value.equals(last)) {
                cell = lastCells[i];
            } else {
                cell = cell(value, i);
                lastValues[i] = value;
                lastCells[i] = cell;
            }
            append(cell);
        }
        append('\r');
        append('\n');
        if (length >= CHUNK) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    @Override
    public void end() throws IOException {
        out.write(buffer, 0, length);
        length = 0;
        out.flush();
    }

    private String cell(Object value, int column) {
        String content;
        if (text[column]) {
            content = neutralise((String) value);
        } else if (value instanceof Instant instant) {
            content = instantText(instant);
        } else if (rounded[column]) {
            content = Values.text(CsvDialect.rounded((BigDecimal) value));
        } else {
            content = Values.text(value);
        }
        return cell(content, column == 0);
    }

    private String cell(String value, boolean firstOnLine) {
        return cell(value, firstOnLine, delimiter);
    }

    /** A non-null value as Commons CSV's minimal quoting writes it, with {@code delimiter} between cells. */
    static String cell(String value, boolean firstOnLine, char delimiter) {
        int length = value.length();
        boolean quote;
        if (length == 0) {
            quote = firstOnLine;
        } else if (value.charAt(0) <= '#') {
            quote = true;
        } else {
            quote = value.charAt(length - 1) <= ' ';
            for (int i = 0; i < length && !quote; i++) {
                char c = value.charAt(i);
                quote = c == delimiter || c == '"' || c == '\r' || c == '\n';
            }
        }
        if (!quote) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(length + 8).append('"');
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted.append('"');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    private void append(char c) {
        if (length == buffer.length) {
            grow(1);
        }
        buffer[length++] = c;
    }

    private void append(String s) {
        int n = s.length();
        if (length + n > buffer.length) {
            grow(n);
        }
        s.getChars(0, n, buffer, length);
        length += n;
    }

    private void grow(int needed) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + needed));
    }

    /** Windows and launch times repeat on every window of a server: each is formatted once. */
    private String instantText(Instant instant) {
        long mixed = (instant.getEpochSecond() * 1_000_003L + instant.getNano()) * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 48) & (INSTANT_CACHE - 1);   // whole hours would all share the low bits
        if (instant.equals(cachedInstants[slot])) {
            return cachedInstantTexts[slot];
        }
        String text = Values.instant(instant);
        cachedInstants[slot] = instant;
        cachedInstantTexts[slot] = text;
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

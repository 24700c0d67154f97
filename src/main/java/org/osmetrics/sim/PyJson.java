package org.osmetrics.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Writes JSON byte for byte as Python's {@code json.dumps} does with its defaults, which is what Nova and
 * Keystone put on the wire: separators {@code ", "} and {@code ": "}, non-ASCII and control characters
 * escaped as lowercase {@code \\uXXXX}, floats as {@code repr(float)}. The output is therefore pure ASCII:
 * it is built in a byte buffer (no character encoder, no text copies of numbers and times) and streamed to
 * an {@link OutputStream} whenever the buffer fills, or to a {@link Writer} as the same characters. Keys are
 * written in call order (a real service's insertion order). Not thread-safe: one per response.
 */
final class PyJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final double EXPONENT_FROM = 1e16;
    private static final double EXPONENT_BELOW = 1e-4;
    /** Where Jackson's Schubfach writer uses plain (not exponent) form: {@code [1e-3, 1e7)}. */
    private static final double PLAIN_FROM = 1e-3;
    private static final double PLAIN_BELOW = 1e7;
    private static final int BUFFER_SIZE = 16 * 1024;

    private final OutputStream out;
    private final Writer writer;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int count;
    /** Per nesting level: true when the next element needs a separator. */
    private final boolean[] needsComma = new boolean[32];
    private int depth;
    private boolean afterKey;

    /** Streams the bytes to {@code out}; {@link #flush()} at the end sends what is still buffered. */
    PyJson(OutputStream out) {
        this.out = out;
        this.writer = null;
    }

    /** Writes the same text as characters (tests, text sinks). */
    PyJson(Writer writer) {
        this.out = null;
        this.writer = writer;
    }

    PyJson beginObject() {
        beforeValue();
        put((byte) '{');
        push();
        return this;
    }

    PyJson endObject() {
        depth--;
        put((byte) '}');
        return this;
    }

    PyJson beginArray() {
        beforeValue();
        put((byte) '[');
        push();
        return this;
    }

    PyJson endArray() {
        depth--;
        put((byte) ']');
        return this;
    }

    PyJson key(String name) {
        if (needsComma[depth]) {
            put((byte) ',');
            put((byte) ' ');
        }
        needsComma[depth] = true;
        writeString(name);
        put((byte) ':');
        put((byte) ' ');
        afterKey = true;
        return this;
    }

    PyJson value(String text) {
        beforeValue();
        if (text == null) {
            ascii("null");
        } else {
            writeString(text);
        }
        return this;
    }

    PyJson value(long number) {
        beforeValue();
        writeLong(number);
        return this;
    }

    PyJson value(double number) {
        beforeValue();
        if (number >= 1 && number < EXPONENT_FROM && number == Math.rint(number)) {
            writeLong((long) number); // repr's whole-number form, without a text copy
            put((byte) '.');
            put((byte) '0');
        } else {
            ascii(repr(number));
        }
        return this;
    }

    PyJson value(boolean flag) {
        beforeValue();
        ascii(flag ? "true" : "false");
        return this;
    }

    /**
     * A time as Nova's {@code NovaTime.format} writes it ({@code 2024-10-02T00:00:00.000000}, UTC, no zone),
     * or null: the digits go straight into the buffer.
     */
    PyJson novaTime(Instant instant) {
        if (instant == null) {
            return nullValue();
        }
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 1 || year > 9999) { // the formatter's sign and era rules: rare, so its own code
            return value(NovaTime.format(instant));
        }
        beforeValue();
        ensure(28);
        byte[] b = buffer;
        int p = count;
        b[p++] = '"';
        p = digits(b, p, year, 4);
        b[p++] = '-';
        p = digits(b, p, date.getMonthValue(), 2);
        b[p++] = '-';
        p = digits(b, p, date.getDayOfMonth(), 2);
        b[p++] = 'T';
        p = digits(b, p, secondOfDay / 3600, 2);
        b[p++] = ':';
        p = digits(b, p, secondOfDay / 60 % 60, 2);
        b[p++] = ':';
        p = digits(b, p, secondOfDay % 60, 2);
        b[p++] = '.';
        p = digits(b, p, instant.getNano() / 1000, 6);
        b[p++] = '"';
        count = p;
        return this;
    }

    PyJson nullValue() {
        beforeValue();
        ascii("null");
        return this;
    }

    PyJson field(String name, String text) {
        return key(name).value(text);
    }

    PyJson field(String name, long number) {
        return key(name).value(number);
    }

    PyJson field(String name, double number) {
        return key(name).value(number);
    }

    PyJson field(String name, boolean flag) {
        return key(name).value(flag);
    }

    /** Sends everything written so far to the stream or writer and flushes it. */
    void flush() {
        try {
            drain();
            if (out != null) {
                out.flush();
            } else {
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void push() {
        depth++;
        needsComma[depth] = false;
    }

    private void beforeValue() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth > 0) {
            if (needsComma[depth]) {
                put((byte) ',');
                put((byte) ' ');
            }
            needsComma[depth] = true;
        }
    }

    private void writeString(String text) {
        int length = text.length();
        if (isPlain(text, length)) { // keys, ids, times: nothing to escape, copied as they are
            put((byte) '"');
            copyAscii(text, length);
            put((byte) '"');
            return;
        }
        put((byte) '"');
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> escape('"');
                case '\\' -> escape('\\');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                case '\t' -> escape('t');
                case '\b' -> escape('b');
                case '\f' -> escape('f');
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        ensure(6);
                        byte[] b = buffer;
                        b[count++] = '\\';
                        b[count++] = 'u';
                        b[count++] = HEX[(c >> 12) & 0xf];
                        b[count++] = HEX[(c >> 8) & 0xf];
                        b[count++] = HEX[(c >> 4) & 0xf];
                        b[count++] = HEX[c & 0xf];
                    } else {
                        put((byte) c);
                    }
                }
            }
        }
        put((byte) '"');
    }

    private void escape(char c) {
        put((byte) '\\');
        put((byte) c);
    }

    /** Printable ASCII without a quote or backslash: written as it is between quotes. */
    private static boolean isPlain(String text, int length) {
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Text known to be ASCII (number forms, literals). */
    private void ascii(String text) {
        copyAscii(text, text.length());
    }

    @SuppressWarnings("deprecation") // the byte-copying getBytes: exactly right for text already known to be ASCII
    private void copyAscii(String text, int length) {
        ensure(length);
        if (count + length > buffer.length) {
            for (int i = 0; i < length; i++) {
                put((byte) text.charAt(i));
            }
            return;
        }
        text.getBytes(0, length, buffer, count);
        count += length;
    }

    private void writeLong(long number) {
        if (number == Long.MIN_VALUE) {
            ascii(Long.toString(number));
            return;
        }
        ensure(20);
        if (number < 0) {
            buffer[count++] = '-';
            number = -number;
        }
        int length = 1;
        for (long rest = number / 10; rest != 0; rest /= 10) {
            length++;
        }
        int p = count + length;
        count = p;
        do {
            buffer[--p] = (byte) ('0' + (int) (number % 10));
            number /= 10;
        } while (number != 0);
    }

    /** {@code value} as exactly {@code width} decimal digits (zero-padded) at {@code p}; the position after. */
    private static int digits(byte[] b, int p, int value, int width) {
        for (int i = p + width - 1; i >= p; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }

    private void put(byte b) {
        if (count == buffer.length) {
            drainUnchecked();
        }
        buffer[count++] = b;
    }

    /** Room for {@code bytes} more (at most the buffer's size). */
    private void ensure(int bytes) {
        if (count + bytes > buffer.length) {
            drainUnchecked();
        }
    }

    private void drainUnchecked() {
        try {
            drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        if (count == 0) {
            return;
        }
        if (out != null) {
            out.write(buffer, 0, count);
        } else {
            writer.write(new String(buffer, 0, count, StandardCharsets.US_ASCII));
        }
        count = 0;
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double (the nearest
     * one when several have that length), {@code 24.0} rather than {@code 24}, and exponent form
     * ({@code 1.111111111111111e-09}, {@code 2.2315008e+16}) below 1e-4 and from 1e16 on.
     * JDK 17's {@code Double.toString} is not always shortest; Jackson's Schubfach writer is, except
     * that it may pick two digits where one suffices, which is checked exactly.
     */
    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        double magnitude = Math.abs(value);
        String sign = value < 0 ? "-" : "";
        if (magnitude < EXPONENT_FROM && magnitude >= 1 && magnitude == Math.rint(magnitude)) {
            return sign + (long) magnitude + ".0";
        }
        String text = NumberOutput.toString(magnitude, true);
        if (magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW && significantDigits(text) > 2) {
            // Schubfach writes this range in plain form with the shortest, nearest digits: repr's own text.
            return value < 0 ? "-" + text : text;
        }
        Decimal shortest = Decimal.schubfach(text);
        if (shortest.digits().length() == 2) {
            BigDecimal oneDigit = roundTrips(new BigDecimal(magnitude), 1, magnitude);
            if (oneDigit != null) {
                shortest = Decimal.of(oneDigit);
            }
        }
        return sign + format(shortest, magnitude < EXPONENT_BELOW || magnitude >= EXPONENT_FROM);
    }

    /** The same result as {@link #repr} by an exhaustive exact search: the reference for tests. */
    static String reprExact(double value) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return repr(value);
        }
        double magnitude = Math.abs(value);
        BigDecimal exact = new BigDecimal(magnitude);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal found = roundTrips(exact, precision, magnitude);
            if (found != null) {
                return (value < 0 ? "-" : "")
                        + format(Decimal.of(found), magnitude < EXPONENT_BELOW || magnitude >= EXPONENT_FROM);
            }
        }
        throw new IllegalStateException("no 17-digit decimal reads back as " + value);
    }

    /**
     * A positive decimal {@code 0.d1d2...dn * 10^decimalPoint}, digits without leading or trailing zeros.
     */
    private record Decimal(String digits, int decimalPoint) {

        static Decimal of(BigDecimal value) {
            return normalized(value.unscaledValue().toString(), value.unscaledValue().toString().length() - value.scale());
        }

        /** Parses Jackson's Schubfach text, e.g. {@code 2.2315008E16}, {@code 0.0861}, {@code 24.5}. */
        static Decimal schubfach(String text) {
            int e = text.indexOf('E');
            int exponent = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
            String mantissa = e < 0 ? text : text.substring(0, e);
            int dot = mantissa.indexOf('.');
            String whole = dot < 0 ? mantissa : mantissa.substring(0, dot);
            String fraction = dot < 0 ? "" : mantissa.substring(dot + 1);
            return normalized(whole + fraction, whole.length() + exponent);
        }

        private static Decimal normalized(String digits, int decimalPoint) {
            int begin = 0;
            while (begin < digits.length() - 1 && digits.charAt(begin) == '0') {
                begin++;
                decimalPoint--;
            }
            int end = digits.length();
            while (end > begin + 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            return new Decimal(digits.substring(begin, end), decimalPoint);
        }
    }

    /**
     * The significant digits of a plain Schubfach text such as {@code 0.0861} or {@code 24.5}; 0 when it is
     * not plain (has an exponent).
     */
    private static int significantDigits(String text) {
        int digits = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'E') {
                return 0;
            }
            if (c >= '1' && c <= '9' || c == '0' && !leading) {
                leading = false;
                digits++;
            }
        }
        return digits;
    }

    private static String format(Decimal decimal, boolean exponentForm) {
        String digits = decimal.digits();
        int decimalPoint = decimal.decimalPoint();
        StringBuilder text = new StringBuilder();
        if (exponentForm) {
            int exponent = decimalPoint - 1;
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            int absExponent = Math.abs(exponent);
            if (absExponent < 10) {
                text.append('0');
            }
            text.append(absExponent);
        } else if (decimalPoint <= 0) {
            text.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= digits.length()) {
            text.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
        } else {
            text.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
        }
        return text.toString();
    }

    /**
     * The nearest decimal of {@code precision} digits that reads back as the double, or null. Next to a
     * power of two the rounding interval is lopsided, so the other neighbour is tried as well.
     */
    private static BigDecimal roundTrips(BigDecimal exact, int precision, double magnitude) {
        BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == magnitude) {
            return nearest;
        }
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        if (down.doubleValue() == magnitude) {
            return down;
        }
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
        return up.doubleValue() == magnitude ? up : null;
    }
}

package org.osmetrics.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Writes JSON byte for byte as Python's {@code json.dumps} does with its defaults, which is what Nova and
 * Keystone put on the wire: separators {@code ", "} and {@code ": "}, non-ASCII and control characters
 * escaped as lowercase {@code \\uXXXX}, floats as {@code repr(float)}. Streams to a {@link Writer}; keys
 * are written in call order (a real service's insertion order). Not thread-safe: one per response.
 */
final class PyJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final double EXPONENT_FROM = 1e16;
    private static final double EXPONENT_BELOW = 1e-4;

    private final Writer out;
    /** Per nesting level: true when the next element needs a separator. */
    private final boolean[] needsComma = new boolean[32];
    private int depth;
    private boolean afterKey;

    PyJson(Writer out) {
        this.out = out;
    }

    PyJson beginObject() {
        beforeValue();
        raw("{");
        push();
        return this;
    }

    PyJson endObject() {
        depth--;
        raw("}");
        return this;
    }

    PyJson beginArray() {
        beforeValue();
        raw("[");
        push();
        return this;
    }

    PyJson endArray() {
        depth--;
        raw("]");
        return this;
    }

    PyJson key(String name) {
        if (needsComma[depth]) {
            raw(", ");
        }
        needsComma[depth] = true;
        writeString(name);
        raw(": ");
        afterKey = true;
        return this;
    }

    PyJson value(String text) {
        beforeValue();
        if (text == null) {
            raw("null");
        } else {
            writeString(text);
        }
        return this;
    }

    PyJson value(long number) {
        beforeValue();
        raw(Long.toString(number));
        return this;
    }

    PyJson value(double number) {
        beforeValue();
        raw(repr(number));
        return this;
    }

    PyJson value(boolean flag) {
        beforeValue();
        raw(flag ? "true" : "false");
        return this;
    }

    PyJson nullValue() {
        beforeValue();
        raw("null");
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

    void flush() {
        try {
            out.flush();
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
                raw(", ");
            }
            needsComma[depth] = true;
        }
    }

    private void writeString(String text) {
        if (isPlain(text)) { // keys, ids, times: nothing to escape, so no copy
            raw("\"");
            raw(text);
            raw("\"");
            return;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 2);
        escaped.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\b' -> escaped.append("\\b");
                case '\f' -> escaped.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        escaped.append("\\u")
                                .append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        escaped.append('"');
        raw(escaped.toString());
    }

    /** Printable ASCII without a quote or backslash: written as it is between quotes. */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void raw(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        Decimal shortest = Decimal.schubfach(magnitude);
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
        static Decimal schubfach(double magnitude) {
            String text = NumberOutput.toString(magnitude, true);
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

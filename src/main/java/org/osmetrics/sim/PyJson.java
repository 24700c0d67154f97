package org.osmetrics.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

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
     * JDK 17's {@code Double.toString} is not always shortest, hence the search here.
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
        BigDecimal shortest = shortestRoundTrip(magnitude);
        String digits = shortest.unscaledValue().toString();
        // value = 0.d1d2...dn * 10^decimalPoint
        int decimalPoint = digits.length() - shortest.scale();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        boolean exponentForm = magnitude < EXPONENT_BELOW || magnitude >= EXPONENT_FROM;
        StringBuilder text = new StringBuilder(sign);
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

    /** The shortest decimal in the double's rounding interval, the nearest among those (ties to even). */
    private static BigDecimal shortestRoundTrip(double magnitude) {
        BigDecimal exact = new BigDecimal(magnitude);
        int low = 1;
        int high = 17;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (roundTrips(exact, middle, magnitude) != null) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return roundTrips(exact, low, magnitude);
    }

    private static BigDecimal roundTrips(BigDecimal exact, int precision, double magnitude) {
        BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == magnitude) {
            return nearest;
        }
        // Next to a power of two the interval is lopsided: the other neighbour may still read back.
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        if (down.doubleValue() == magnitude) {
            return down;
        }
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
        return up.doubleValue() == magnitude ? up : null;
    }
}

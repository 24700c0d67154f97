package org.osmetrics.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** The text of exported values, shared by the CSV and JSON writers. */
final class Values {

    private Values() {
    }

    /** A double in the shortest text that reads back to it, never in exponent notation (22315008.0). */
    static String plainDouble(double value) {
        String text = Double.toString(value);
        if (Double.isNaN(value) || Double.isInfinite(value) || text.indexOf('E') < 0) {
            return text;
        }
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    /** An instant as ISO-8601 UTC, whole seconds unless there is a fraction (2026-10-01T00:00:00Z). */
    static String instant(Instant value) {
        return DateTimeFormatter.ISO_INSTANT.format(value);
    }

    static String text(Object value) {
        if (value instanceof Double d) {
            return plainDouble(d);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Instant i) {
            return instant(i);
        }
        return value.toString();
    }
}

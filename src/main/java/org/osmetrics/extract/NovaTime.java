package org.osmetrics.extract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Nova's time text: {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS}, UTC without a zone suffix (Nova rejects one in
 * requests and never sends one in responses).
 */
public final class NovaTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private NovaTime() {
    }

    /** Formats an instant as Nova writes and accepts it; sub-microsecond digits are cut (Nova has none). */
    public static String format(Instant instant) {
        return FORMAT.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    /** Parses Nova's zone-less UTC text (0 to 6 fraction digits; a space instead of 'T' too). */
    public static Instant parse(String text) throws DateTimeParseException {
        Instant fast = parseExact(text);
        return fast != null ? fast : LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /**
     * The form Nova sends every time, {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS} (or without the fraction), read
     * without the general parser (it was most of the client's parse time); null for any other text, and for
     * out-of-range fields, which the general parser then reads or rejects with its own message.
     */
    private static Instant parseExact(String text) {
        int length = text.length();
        if ((length != 19 && length != 26) || text.charAt(4) != '-' || text.charAt(7) != '-'
                || (text.charAt(10) != 'T' && text.charAt(10) != ' ') || text.charAt(13) != ':' || text.charAt(16) != ':'
                || (length == 26 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int micros = length == 26 ? digits(text, 20, 26) : 0;
        if ((year | month | day | hour | minute | second | micros) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code text[from, to)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

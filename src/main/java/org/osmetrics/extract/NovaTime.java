package org.osmetrics.extract;

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
        return LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
}

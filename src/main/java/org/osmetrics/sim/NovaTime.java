package org.osmetrics.sim;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nova's and Keystone's time texts. Parsing accepts exactly the three {@code strptime} formats of
 * Nova's {@code _parse_datetime} ({@code %Y-%m-%dT%H:%M:%S}, {@code %Y-%m-%dT%H:%M:%S.%f},
 * {@code %Y-%m-%d %H:%M:%S.%f}), with strptime's field widths, and reads the value as UTC.
 */
final class NovaTime {
    private static final String DATE = "(\\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\\d|0[1-9]|[1-9])";
    private static final String TIME = "(2[0-3]|[01]\\d|\\d):([0-5]\\d|\\d):(6[01]|[0-5]\\d|\\d)";
    private static final Pattern WITH_T = Pattern.compile(
            DATE + "T" + TIME + "(?:\\.(\\d{1,6}))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WITH_SPACE = Pattern.compile(DATE + "\\s+" + TIME + "\\.(\\d{1,6})");
    /** oslo's PERFECT_TIME_FORMAT: always six fraction digits, no zone. */
    private static final DateTimeFormatter NOVA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    /** Keystone's token times: microseconds and {@code Z}. */
    private static final DateTimeFormatter KEYSTONE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private NovaTime() {
    }

    /** The instant, or empty when the text is in none of Nova's formats (Nova answers 400 then). */
    static Optional<Instant> parse(String text) {
        Matcher matcher = WITH_T.matcher(text);
        if (!matcher.matches()) {
            matcher = WITH_SPACE.matcher(text);
            if (!matcher.matches()) {
                return Optional.empty();
            }
        }
        try {
            String fraction = matcher.group(7);
            int micros = fraction == null ? 0 : Integer.parseInt((fraction + "00000").substring(0, 6));
            LocalDateTime time = LocalDateTime.of(
                    Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)),
                    Integer.parseInt(matcher.group(5)), Integer.parseInt(matcher.group(6)), micros * 1000);
            return Optional.of(time.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            // e.g. 2024-02-30 or a leap second: Python's datetime rejects them too.
            return Optional.empty();
        }
    }

    /** {@code 2024-10-02T00:00:00.000000}: Nova's response format (UTC, no zone). */
    static String format(Instant instant) {
        return NOVA.format(LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC));
    }

    /** {@code 2015-11-07T02:58:43.578887Z}: Keystone's token times. */
    static String formatKeystone(Instant instant) {
        return KEYSTONE.format(LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC));
    }

    /** Python datetimes hold microseconds: anything finer never exists on the server side. */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}

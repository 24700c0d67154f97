package org.osmetrics.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the times and durations of the command line. All times are UTC. */
public final class TimeArguments {

    private TimeArguments() {
    }

    /**
     * An ISO-8601 date ({@code 2026-10-01}, midnight UTC) or date-time ({@code 2026-10-01T06:00Z},
     * {@code 2026-10-01T06:00:00+02:00}; without a zone it is read as UTC).
     */
    public static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parseInstant(value);
        }
    }

    /** A duration: {@code 90s}, {@code 15m}, {@code 1h}, {@code 1h30m}, {@code 2d}, or ISO-8601 ({@code PT1H}). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /** One or more amounts with a unit: {@code 90s}, {@code 1h30m}, {@code 1d12h}. */
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:\\d+\\s*(?:ms|s|m|h|d)\\s*)+");
    private static final Pattern SHORT_DURATION_PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public static Instant parseInstant(String value) {
        String text = value == null ? "" : value.trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.endsWith("z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new TypeConversionException("'" + value
                    + "' is not an ISO-8601 date or date-time (use e.g. 2026-10-01 or 2026-10-01T06:00Z)");
        }
    }

    public static Duration parseDuration(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT_DURATION.matcher(text);
        try {
            if (matcher.matches()) {
                Duration total = Duration.ZERO;
                Matcher part = SHORT_DURATION_PART.matcher(text);
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    total = total.plus(switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
                }
                return total;
            }
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
            // fall through to the one message below
        }
        throw new TypeConversionException("'" + value + "' is not a duration (use e.g. 90s, 15m, 1h, 1h30m, 1d)");
    }
}

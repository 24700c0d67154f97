package org.osmetrics;

import java.time.Duration;
import java.util.Locale;

/** Numbers and durations in messages, as a person writes them: "1 window", "2 anomalies", "1h30m". */
public final class Phrases {

    private Phrases() {
    }

    /** {@code 1 window}, {@code 1,204 windows}, {@code 1 anomaly}, {@code 3 anomalies}. */
    public static String count(long n, String singular) {
        return count(n, singular, plural(singular));
    }

    /** With an irregular plural: {@code count(n, "was", "were")}. */
    public static String count(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** The word for {@code n} of them, without the number. */
    public static String noun(long n, String singular) {
        return n == 1 ? singular : plural(singular);
    }

    private static String plural(String singular) {
        // the last word of a phrase such as "project range" takes the plural
        int last = singular.length() - 1;
        char end = singular.charAt(last);
        if (end == 'y' && last > 0 && "aeiou".indexOf(singular.charAt(last - 1)) < 0) {
            return singular.substring(0, last) + "ies";
        }
        if (end == 's' || end == 'x' || singular.endsWith("ch") || singular.endsWith("sh")) {
            return singular + "es";
        }
        return singular + "s";
    }

    /**
     * A duration in the form the command line accepts: {@code 90s} as {@code 1m30s}, {@code 1h30m},
     * {@code 2d}, {@code 250ms}, {@code 0s}; negative ones with a leading minus. Never {@code PT1H30M}.
     */
    public static String duration(Duration duration) {
        if (duration.isNegative()) {
            return "-" + duration(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        long days = duration.toDaysPart();
        StringBuilder text = new StringBuilder();
        append(text, days, "d");
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        append(text, duration.toMillisPart(), "ms");
        if (text.length() == 0) {
            append(text, duration.toNanosPart(), "ns");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }
}

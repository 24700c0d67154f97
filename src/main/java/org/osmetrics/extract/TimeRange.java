package org.osmetrics.extract;

import org.osmetrics.Phrases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A half-open UTC time range {@code [start, end)}. */
public record TimeRange(Instant start, Instant end) {

    public TimeRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("range start " + start + " is not before its end " + end);
        }
    }

    /**
     * Splits {@code [from, to)} into the ranges of one API call each: cut on the UTC grid of {@code span}
     * counted from the epoch (so a one-day span cuts at midnight UTC and the same day is always the same
     * call), the first and last piece clipped to {@code from} and {@code to}.
     */
    public static List<TimeRange> split(Instant from, Instant to, Duration span) {
        if (span.isZero() || span.isNegative()) {
            throw new IllegalArgumentException("call span must be positive, got " + Phrases.duration(span));
        }
        List<TimeRange> ranges = new ArrayList<>();
        if (!from.isBefore(to)) {
            return ranges;
        }
        long spanNanos = span.toNanos();
        Instant cursor = from;
        while (cursor.isBefore(to)) {
            long offset = Math.floorMod(Duration.between(Instant.EPOCH, cursor).toNanos(), spanNanos);
            Instant next = cursor.plusNanos(spanNanos - offset);
            Instant end = next.isAfter(to) ? to : next;
            ranges.add(new TimeRange(cursor, end));
            cursor = end;
        }
        return ranges;
    }

    /**
     * {@link #split} without the ranges that start at or after {@code now}: Nova has no usage for the
     * future (and answers a future start with negative hours), so such a range is never requested.
     */
    public static List<TimeRange> splitBefore(Instant from, Instant to, Duration span, Instant now) {
        return split(from, to, span).stream().filter(range -> range.start().isBefore(now)).toList();
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}

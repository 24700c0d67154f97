package org.osmetrics.transform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fixed UTC grid usage is stored on: windows of {@code size} starting at the Unix epoch, so that a
 * one-hour grid starts every hour and a one-day grid every midnight UTC. The size must divide a day.
 * Immutable and thread-safe.
 */
public record WindowGrid(Duration size) {

    private static final long DAY_SECONDS = 86_400;

    public WindowGrid {
        Objects.requireNonNull(size, "size");
        if (size.isNegative() || size.isZero() || size.getNano() != 0 || DAY_SECONDS % size.getSeconds() != 0) {
            throw new IllegalArgumentException("window " + size + " does not divide a day into whole seconds:"
                    + " use e.g. 15m, 1h, 6h or 1d");
        }
    }

    public static WindowGrid ofSeconds(long seconds) {
        return new WindowGrid(Duration.ofSeconds(seconds));
    }

    public long seconds() {
        return size.getSeconds();
    }

    /** The start of the window that contains {@code instant}. */
    public Instant floor(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        return Instant.ofEpochSecond(epochSecond - Math.floorMod(epochSecond, seconds()));
    }

    /** {@code instant} itself when it is on the grid, else the start of the next window. */
    public Instant ceil(Instant instant) {
        Instant floor = floor(instant);
        return floor.equals(instant) ? floor : floor.plus(size);
    }

    public boolean isAligned(Instant instant) {
        return floor(instant).equals(instant);
    }

    /** The starts of the windows covering {@code [start, end)}; both ends must be on the grid. */
    public List<Instant> windowStarts(Instant start, Instant end) {
        requireAligned(start, "start");
        requireAligned(end, "end");
        List<Instant> starts = new ArrayList<>();
        for (Instant window = start; window.isBefore(end); window = window.plus(size)) {
            starts.add(window);
        }
        return starts;
    }

    void requireAligned(Instant instant, String what) {
        if (!isAligned(instant)) {
            throw new IllegalArgumentException("range " + what + " " + instant + " is not on the " + label()
                    + " window grid: use a multiple of " + label() + " from midnight UTC");
        }
    }

    /** {@code 1h}, {@code 1d}, {@code 15m}, {@code 90s}: the form the command line accepts. */
    public String label() {
        long s = seconds();
        if (s % DAY_SECONDS == 0) {
            return s / DAY_SECONDS + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    @Override
    public String toString() {
        return label();
    }
}

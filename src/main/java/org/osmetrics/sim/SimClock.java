package org.osmetrics.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A settable UTC clock for tests of the simulated cloud: "now" for Nova's clamp and uptimes and for
 * Keystone's token expiry. Still by default; a {@link #ticking} clock moves on at every reading, as a real
 * Nova's clock moves between the requests of one extraction (each page of an open range then gets its own
 * stop). Thread-safe.
 */
public final class SimClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration tick;

    public SimClock(Instant start) {
        this(start, Duration.ZERO);
    }

    private SimClock(Instant start, Duration tick) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
        this.tick = Objects.requireNonNull(tick, "tick");
    }

    /** A clock that reads {@code start} first and {@code tick} later at every further reading. */
    public static SimClock ticking(Instant start, Duration tick) {
        if (tick.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: tick " + tick);
        }
        return new SimClock(start, tick);
    }

    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    public void advance(Duration duration) {
        now.updateAndGet(current -> current.plus(duration));
    }

    @Override
    public Instant instant() {
        return tick.isZero() ? now.get() : now.getAndUpdate(current -> current.plus(tick));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("SimClock is UTC only");
    }
}

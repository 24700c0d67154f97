package org.osmetrics.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Nova's per-instance usage arithmetic, the one place the simulator computes it (Nova's
 * {@code instance_get_active_by_window_joined} filter, {@code _hours_for} and the uptime of
 * {@code _tenant_usages_for_period}), bit for bit.
 */
final class NovaUsage {
    private static final double MICROS_PER_SECOND = 1_000_000.0;
    private static final double SECONDS_PER_HOUR = 3600.0;

    private NovaUsage() {
    }

    /**
     * Whether the instance is a row of the window's query:
     * {@code (terminated_at IS NULL OR terminated_at > start) AND launched_at < stop}; an instance that
     * never launched never matches.
     */
    static boolean counted(SimInstance instance, Instant start, Instant stop) {
        Instant launched = instance.launchedAt();
        Instant terminated = instance.terminatedAt();
        return launched != null && launched.isBefore(stop) && (terminated == null || terminated.isAfter(start));
    }

    /**
     * Nova's {@code hours}: {@code (min(stop, terminated or stop) - max(launched, start))} in seconds as
     * a double (microseconds / 1e6) divided by 3600.0. Negative when the window starts after its
     * (clamped) stop, as Nova's is; call it only for {@link #counted} instances.
     */
    static double hours(SimInstance instance, Instant start, Instant stop) {
        Instant from = instance.launchedAt().isAfter(start) ? instance.launchedAt() : start;
        Instant to = instance.terminatedAt() != null && instance.terminatedAt().isBefore(stop)
                ? instance.terminatedAt() : stop;
        return seconds(from, to) / SECONDS_PER_HOUR;
    }

    /**
     * Nova's {@code uptime}: whole seconds (truncated) from {@code launched_at} to {@code terminated_at},
     * or to {@code now} while the instance exists.
     */
    static long uptime(SimInstance instance, Instant now) {
        Instant to = instance.terminatedAt() != null ? instance.terminatedAt() : now;
        return (long) seconds(instance.launchedAt(), to);
    }

    /** Python's {@code timedelta.total_seconds()}: exact microseconds divided by 1e6 as a double. */
    private static double seconds(Instant from, Instant to) {
        Duration span = Duration.between(from, to);
        long micros = span.getSeconds() * 1_000_000L + span.getNano() / 1_000;
        return micros / MICROS_PER_SECOND;
    }
}

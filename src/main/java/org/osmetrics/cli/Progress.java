package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Progress of long work (backfill, import, large exports) on stderr. On a terminal: one bar redrawn in
 * place with done/total, rate and ETA. Otherwise (cron, logs, pipes): one plain line every few seconds.
 * {@link #disabled()} prints nothing ({@code --quiet}). Thread-safe: workers may call {@link #advance}.
 */
public final class Progress implements AutoCloseable {
    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(200);
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintWriter err;
    private final boolean terminal;
    private final Clock clock;
    private final Instant started;
    private final boolean enabled;
    private long done;
    private Instant lastPrinted;

    private Progress(String label, String unit, long total, PrintWriter err, boolean terminal, Clock clock, boolean enabled) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.enabled = enabled;
        this.started = clock.instant();
        this.lastPrinted = started;
    }

    /**
     * @param total the amount of work, or a negative number when unknown (no bar, no ETA)
     * @param quiet print nothing at all
     */
    public static Progress start(String label, String unit, long total, PrintWriter err, boolean quiet) {
        return new Progress(label, unit, total, err, System.console() != null, Clock.systemUTC(), !quiet);
    }

    /** For tests: explicit terminal mode and clock. */
    static Progress start(String label, String unit, long total, PrintWriter err, boolean terminal, Clock clock) {
        return new Progress(label, unit, total, err, terminal, clock, true);
    }

    public static Progress disabled() {
        return new Progress("", "", -1, null, false, Clock.systemUTC(), false);
    }

    public synchronized void advance(long amount) {
        done += amount;
        if (!enabled) {
            return;
        }
        Instant now = clock.instant();
        Duration interval = terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL;
        if (Duration.between(lastPrinted, now).compareTo(interval) >= 0) {
            print(now, false);
            lastPrinted = now;
        }
    }

    public synchronized long done() {
        return done;
    }

    /** Prints the final state (on a terminal, ends the bar's line). */
    @Override
    public synchronized void close() {
        if (enabled && (terminal || done > 0)) {
            print(clock.instant(), true);
        }
    }

    private void print(Instant now, boolean last) {
        double seconds = Math.max(Duration.between(started, now).toMillis() / 1000.0, 0.001);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total >= 0 && terminal) {
            int filled = total == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            line.append('[').append("=".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ");
        }
        line.append(String.format(Locale.ROOT, "%,d", done));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, "/%,d", total));
        }
        line.append(' ').append(unit).append(String.format(Locale.ROOT, ", %,.1f %s/s", rate, unit));
        if (total >= 0 && !last && rate > 0) {
            long eta = (long) Math.ceil((total - done) / rate);
            line.append(String.format(Locale.ROOT, ", ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        if (last) {
            line.append(String.format(Locale.ROOT, ", %.1f s", seconds));
        }
        if (terminal) {
            err.print("\r" + line + (last ? System.lineSeparator() : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}

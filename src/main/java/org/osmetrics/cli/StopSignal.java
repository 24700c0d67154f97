package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osmetrics.Cancellation;
import org.osmetrics.ExitCode;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM for the process, handled apart so that a script can tell them from an error:
 * the process ends with the shell's codes for them, 130 ({@link ExitCode#STOPPED_BY_SIGINT}) and 143
 * ({@link ExitCode#STOPPED_BY_SIGTERM}). A command that observes the {@link Cancellation} (run, backfill,
 * import-json) is asked to stop at its next safe point and ends with that code and its "stopped by"
 * message, keeping what it loaded; if no safe point comes within {@link #GRACE}, the process ends anyway.
 * A command without safe points (export, extract, sim) ends at once, its shutdown hooks run. A second
 * signal ends the process at once. One per process.
 */
final class StopSignal {
    /** How long a stopping command may take to reach its safe point (a range in flight finishing its load). */
    static final Duration GRACE = Duration.ofSeconds(60);

    private final Cancellation cancellation;
    private final PrintWriter err;
    private final AtomicBoolean signalled = new AtomicBoolean();

    private StopSignal(Cancellation cancellation, PrintWriter err) {
        this.cancellation = cancellation;
        this.err = err;
    }

    static StopSignal install(Cancellation cancellation, PrintWriter err) {
        StopSignal stop = new StopSignal(cancellation, err);
        handle("INT", ExitCode.STOPPED_BY_SIGINT, "SIGINT (Ctrl-C)", stop);
        handle("TERM", ExitCode.STOPPED_BY_SIGTERM, "SIGTERM", stop);
        return stop;
    }

    private static void handle(String signal, ExitCode code, String name, StopSignal stop) {
        try {
            Signal.handle(new Signal(signal), received -> stop.onSignal(code, name));
        } catch (IllegalArgumentException unavailable) {
            // not on this platform, or the JVM was started with -Xrs: the JVM's own handling applies
        }
    }

    /** Ends the process with the command's exit code. */
    void exit(int code) {
        System.exit(code);
    }

    private void onSignal(ExitCode code, String name) {
        if (!cancellation.isObserved() || signalled.getAndSet(true)) {
            // a command without safe points, or a second signal: end now, as the JVM would (hooks run)
            System.exit(code.code());
            return;
        }
        cancellation.request(name, code);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            err.println("os-metrics: stop requested by " + name + ", but no safe point was reached within "
                    + GRACE.toSeconds() + " s: ending now (the range in flight is rolled back by PostgreSQL; the next"
                    + " run closes the ledger entry and resumes)");
            err.flush();
            Runtime.getRuntime().halt(code.code());
        }, "os-metrics-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}

package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osmetrics.Cancellation;

/**
 * SIGTERM and Ctrl-C for the process: a shutdown hook that requests the {@link Cancellation}, waits (at
 * most {@link #GRACE}) for a command that observes it to reach its next safe point and finish, and then
 * ends the JVM with that command's exit code (1 with its "stopped by" message) instead of the JVM's 143.
 * A command without safe points (export, extract) just ends, as before. One per process.
 */
final class StopSignal {
    /** How long a stopping command may take to reach its safe point (a range in flight finishing its load). */
    static final Duration GRACE = Duration.ofSeconds(60);

    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread hook;

    private StopSignal(Cancellation cancellation, PrintWriter err) {
        this.hook = new Thread(() -> onSignal(cancellation, err), "os-metrics-stop");
    }

    static StopSignal install(Cancellation cancellation, PrintWriter err) {
        StopSignal signal = new StopSignal(cancellation, err);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Ends the process with the command's exit code (through the hook if a signal came meanwhile). */
    void exit(int code) {
        exitCode.complete(code);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // a signal started the shutdown: the hook ends the JVM with this code
        }
        System.exit(code);
    }

    private void onSignal(Cancellation cancellation, PrintWriter err) {
        if (exitCode.isDone() || !cancellation.isObserved()) {
            return; // System.exit of a finished command, or a command without safe points: end as usual
        }
        cancellation.request("SIGTERM or Ctrl-C");
        int code;
        try {
            code = exitCode.get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            err.println("os-metrics: stop requested, but no safe point was reached within " + GRACE.toSeconds()
                    + " s: ending now (the range in flight is rolled back by PostgreSQL; the next run closes the ledger"
                    + " entry and resumes)");
            err.flush();
            code = ExitCode.INTERRUPTED.code();
        } catch (InterruptedException | ExecutionException e) {
            code = ExitCode.INTERRUPTED.code();
        }
        Runtime.getRuntime().halt(code);
    }
}

package org.osmetrics;


/**
 * A request to stop a long command (SIGTERM, SIGINT) at its next safe point: between two ranges, where the
 * range in flight has either committed or rolled back. Commands that have safe points call {@link #observe()}
 * when they start, so the signal handler knows to wait for them; the others simply end on the signal.
 * Thread-safe.
 */
public final class Cancellation {
    private volatile String reason;
    private volatile ExitCode exitCode;
    private volatile boolean observed;

    /**
     * Asks the command to stop at its next safe point.
     *
     * @param why      what asked, e.g. "SIGTERM"
     * @param exitCode the code the stopped command ends with
     */
    public void request(String why, ExitCode exitCode) {
        this.exitCode = exitCode;
        reason = why;
    }

    public boolean isRequested() {
        return reason != null;
    }

    /** The running command checks this cancellation at its safe points. */
    public void observe() {
        observed = true;
    }

    public boolean isObserved() {
        return observed;
    }

    /**
     * At a safe point: throws when a stop was requested.
     *
     * @param progress where the command stands, e.g. "after 2 of 5 ranges (loaded up to ...)"
     * @throws OsMetricsException with the exit code of the request (130 for SIGINT, 143 for SIGTERM)
     */
    public void checkpoint(String progress) {
        String why = reason;
        if (why != null) {
            throw new OsMetricsException(exitCode, "stopped by " + why + " " + progress
                    + ": what was loaded is kept and the next run resumes from there");
        }
    }
}

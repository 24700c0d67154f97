package org.osmetrics;

import java.sql.SQLException;

/** The process exit codes of the interface contract (PRODUCT.md, "Interface contract"). */
public enum ExitCode {
    OK(0),
    /** An unexpected internal error: a bug. */
    INTERNAL(1),
    /** Bad usage or bad input on the command line. */
    USAGE(2),
    /** Authentication or configuration error. */
    CONFIG(3),
    /** The OpenStack API is unreachable or failing after retries, or answered something unusable. */
    SOURCE(4),
    /** Database error. */
    DATABASE(5),
    /** Another run holds the lock for that cloud. */
    LOCKED(6),
    /** The data did not reconcile with the source (loaded, flagged and reported). */
    RECONCILIATION(7),
    /** Stopped by SIGINT (Ctrl-C), the shell's 128 + 2: what was loaded is kept, the next run resumes. */
    STOPPED_BY_SIGINT(130),
    /** Stopped by SIGTERM, the shell's 128 + 15: what was loaded is kept, the next run resumes. */
    STOPPED_BY_SIGTERM(143);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The code a command ends with after {@code exception}: an {@link OsMetricsException}'s own (anywhere in the
     * chain of causes), 5 for a failure of the database (an {@link SQLException} in the chain: Jdbi wraps them), else
     * 1, an internal error. The one place that maps errors to exit codes.
     */
    public static ExitCode of(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof OsMetricsException e) {
                return e.exitCode();
            }
        }
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return DATABASE;
            }
        }
        return INTERNAL;
    }
}

package org.osmetrics.cli;

/** The process exit codes of the interface contract (PRODUCT.md, "Interface contract"). */
public enum ExitCode {
    OK(0),
    /** An unexpected internal error: a bug. */
    INTERNAL(1),
    /**
     * Stopped on request (SIGTERM, Ctrl-C) at a safe point before the work was done: the same code as an
     * internal error (the contract has no other), but with its own message and without "internal error".
     */
    INTERRUPTED(1),
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
    RECONCILIATION(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

package org.osmetrics;


/**
 * The one exception type that reaches the user: its message is the single line printed on stderr and
 * its exit code is the process's. Messages say what, where and how to fix, and never carry secrets.
 */
public class OsMetricsException extends RuntimeException {
    private final ExitCode exitCode;

    public OsMetricsException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public OsMetricsException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static OsMetricsException usage(String message) {
        return new OsMetricsException(ExitCode.USAGE, message);
    }

    public static OsMetricsException config(String message) {
        return new OsMetricsException(ExitCode.CONFIG, message);
    }

    public static OsMetricsException source(String message, Throwable cause) {
        return new OsMetricsException(ExitCode.SOURCE, message, cause);
    }

    public static OsMetricsException database(String message, Throwable cause) {
        return new OsMetricsException(ExitCode.DATABASE, message, cause);
    }
}

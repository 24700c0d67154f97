package org.osmetrics.extract;

import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;

/** Nova refused (HTTP 403) to list changed servers or a server's actions to these credentials. */
public final class NoTimelineRight extends OsMetricsException {

    public NoTimelineRight(String message) {
        super(ExitCode.CONFIG, message);
    }
}

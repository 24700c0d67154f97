package org.osmetrics.transform;

import java.time.Instant;
import java.util.Objects;

/**
 * Something wrong or unknown in a server's actions: stored as an anomaly row (never fatal).
 *
 * @param at     the time it concerns (the action's), or null when none
 * @param detail one clear sentence
 */
public record TimelineProblem(Anomaly.Kind kind, Instant at, String detail) {
    public TimelineProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** As an anomaly of the server and project. */
    public Anomaly toAnomaly(String projectId, String instanceId) {
        return new Anomaly(kind, projectId, instanceId, detail);
    }
}

package org.osmetrics.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * A resize that happened to an instance: from then on Nova reports the new flavor for the whole
 * window, and the instance's {@code launched_at} is {@code at} (the hours before it vanish from any
 * later query). Kept as history for tests; the instance itself already shows the result.
 */
public record SimResize(String instanceUuid, Instant at, Instant launchedBefore, SimFlavor from, SimFlavor to) {

    public SimResize {
        Objects.requireNonNull(instanceUuid, "instanceUuid");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(launchedBefore, "launchedBefore");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}

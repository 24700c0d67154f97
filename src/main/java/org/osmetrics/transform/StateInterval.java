package org.osmetrics.transform;

import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of a server's life in one vm_state (Nova's names) with one flavor: [from, to), to null while it lasts.
 *
 * @param flavorName the flavor in force, null when not known
 * @param assumption null when the actions told the state, else why it was assumed (e.g. a shelve's offload)
 */
public record StateInterval(Instant from, Instant to, String vmState, String flavorName, String assumption) {
    public StateInterval {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(vmState, "vmState");
        if (to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("an interval ends after it starts: " + from + " .. " + to);
        }
    }

    /** Whether the interval covers the instant. */
    public boolean covers(Instant instant) {
        return !instant.isBefore(from) && (to == null || instant.isBefore(to));
    }
}

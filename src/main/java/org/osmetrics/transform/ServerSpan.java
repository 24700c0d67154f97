package org.osmetrics.transform;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.osmetrics.extract.ServerUsage;

/**
 * The part of one server's life inside an extracted range that the window grid splits into facts: from
 * {@code from} (its launch, or the range's start) to {@code to} (its end, or the stop of the page that listed
 * it), never empty. The facts themselves are made when they are read ({@link TransformedRange#forEachFact}),
 * so a range holds its servers, not its servers times its windows.
 */
public record ServerSpan(UUID instanceId, ServerUsage server, Instant from, Instant to) {
    public ServerSpan {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(server, "server");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty span " + from + ".." + to + " of " + instanceId);
        }
    }
}

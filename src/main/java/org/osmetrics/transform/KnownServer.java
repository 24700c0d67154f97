package org.osmetrics.transform;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What os-metrics knows of a server from Nova's usage, to complete its actions: the vm_state usage reports now
 * ({@code state}, null when not known), the flavors it was seen with over time (metrics.server_flavor_history:
 * each from the launched_at that showed it), Nova's launched_at (latest) and terminated_at, and when that was
 * observed (times after it are absurd).
 *
 * @param projectId    the project the server is in now (null when not known)
 * @param currentState usage {@code state} now: active, stopped, shelved_offloaded, error, terminated... or null
 * @param startedAt    Nova's launched_at as last seen (a resize, unshelve, rebuild or rescue resets it), or null
 * @param endedAt      Nova's terminated_at, null while the server exists
 * @param flavors      the flavors recorded, each since the launched_at that showed it, oldest first
 * @param asOf         when this was observed: nothing of the server can happen later
 */
public record KnownServer(String instanceId, String projectId, String currentState, Instant startedAt, Instant endedAt,
                          List<KnownFlavor> flavors, Instant asOf) {

    /** A flavor os-metrics recorded for the server, in force from {@code since} (Nova's launched_at then). */
    public record KnownFlavor(Instant since, String name) {
        public KnownFlavor {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(name, "name");
        }
    }

    public KnownServer {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(asOf, "asOf");
        flavors = flavors == null ? List.of()
                : flavors.stream().sorted(Comparator.comparing(KnownFlavor::since)).toList();
    }

    /** A server os-metrics has no usage of (yet): only its actions tell. */
    public static KnownServer unknown(String instanceId, Instant asOf) {
        return new KnownServer(instanceId, null, null, null, null, List.of(), asOf);
    }
}

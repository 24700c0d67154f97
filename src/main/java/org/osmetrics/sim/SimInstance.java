package org.osmetrics.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * One Nova instance (server) as the usage API sees it: its current flavor, and {@code launchedAt} as
 * last reset (a resize, rebuild, unshelve or rescue overwrites it). {@code launchedAt} is null for a
 * server that never launched (it never appears in usage); {@code terminatedAt} is null while it exists.
 * Times are truncated to microseconds, as Nova stores them.
 *
 * @param vmState Nova's {@code vm_state} (an open set: {@code active}, {@code stopped},
 *                {@code shelved_offloaded}, {@code soft-delete}, ...); usage reports {@code terminated}
 *                instead whenever {@code terminatedAt} is set
 */
public record SimInstance(
        String uuid,
        String name,
        String projectId,
        SimFlavor flavor,
        Instant launchedAt,
        Instant terminatedAt,
        String vmState) {

    public SimInstance {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(vmState, "vmState");
        launchedAt = launchedAt == null ? null : NovaTime.truncate(launchedAt);
        terminatedAt = terminatedAt == null ? null : NovaTime.truncate(terminatedAt);
    }

    /** The {@code state} the usage API reports. */
    public String usageState() {
        return terminatedAt != null ? "terminated" : vmState;
    }
}

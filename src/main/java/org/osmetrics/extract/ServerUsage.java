package org.osmetrics.extract;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of Nova's {@code server_usages}, exactly as returned (field names in Nova's terms).
 *
 * @param instanceId the server's UUID ({@code instance_id})
 * @param tenantId   the project id ({@code tenant_id})
 * @param name       the server name; may be null or empty
 * @param hours      the hours inside the queried range, the exact double Nova returned
 * @param flavor     the name of the server's current flavor ("" when Nova no longer knows it)
 * @param startedAt  Nova's {@code launched_at}, UTC with microseconds
 * @param endedAt    Nova's {@code terminated_at}, null while the server exists
 * @param state      an open set of strings ({@code active}, {@code terminated}, {@code soft-delete}, ...)
 * @param uptime     whole seconds to the moment of the call: never stable, never a key
 */
public record ServerUsage(
        String instanceId,
        String tenantId,
        String name,
        double hours,
        String flavor,
        int vcpus,
        int memoryMb,
        int localGb,
        Instant startedAt,
        Instant endedAt,
        String state,
        long uptime) {

    public ServerUsage {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(state, "state");
        flavor = flavor == null ? "" : flavor;
    }
}

package org.osmetrics.extract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One instance action; updatedAt null below microversion 2.58; message "Error" when it failed; events empty when
 * not read (eventsRead false), e.g. for actions that cannot change state or flavor.
 */
public record InstanceAction(String instanceId, String requestId, String action, String projectId, String userId,
                             Instant startTime, Instant updatedAt, String message,
                             List<ActionEvent> events, boolean eventsRead) {
    public InstanceAction {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(requestId, "requestId");
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The same action with its events read. */
    public InstanceAction withEvents(List<ActionEvent> read) {
        return new InstanceAction(instanceId, requestId, action, projectId, userId, startTime, updatedAt, message,
                read, true);
    }
}

package org.osmetrics.sim;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One instance action of a simulated server, as Nova records it: asked at {@code start} by a user, with the
 * events the compute service recorded. What the API shows depends on "now": an action asked after now does not
 * exist yet, an event not finished by now has no {@code finish_time} and no result, and the action's
 * {@code updated_at} is its last event's latest time (or {@code start} without events). When an event ended in
 * {@code Error} the action's {@code message} is {@code Error}, as Nova sets it.
 */
public record SimAction(String instanceUuid, String requestId, String action, String userId, String projectId,
        Instant start, List<SimEvent> events) {

    public SimAction {
        Objects.requireNonNull(instanceUuid, "instanceUuid");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(start, "start");
        start = NovaTime.truncate(start);
        events = List.copyOf(events);
    }

    /** Whether the action exists at {@code now}. */
    boolean visibleAt(Instant now) {
        return !start.isAfter(now);
    }

    /** The events recorded by {@code now}, in the order they started. */
    List<SimEvent> eventsAsOf(Instant now) {
        return events.stream().filter(e -> !e.start().isAfter(now)).toList();
    }

    /** {@code Error} when an event finished by {@code now} failed, else null. */
    String messageAsOf(Instant now) {
        return eventsAsOf(now).stream().anyMatch(e -> e.finishAsOf(now) != null && "Error".equals(e.result()))
                ? "Error" : null;
    }

    /** Nova's {@code updated_at} at {@code now}: the latest start or finish of its events, else its start. */
    Instant updatedAsOf(Instant now) {
        Instant updated = start;
        for (SimEvent event : eventsAsOf(now)) {
            Instant latest = event.finishAsOf(now) != null ? event.finishAsOf(now) : event.start();
            if (latest.isAfter(updated)) {
                updated = latest;
            }
        }
        return updated;
    }
}

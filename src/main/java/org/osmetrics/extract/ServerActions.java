package org.osmetrics.extract;

import java.util.List;
import java.util.Objects;

/** All actions read for one server, oldest first; unknownToNova = Nova answered 404 (archived). */
public record ServerActions(String instanceId, List<InstanceAction> actions, boolean unknownToNova) {
    public ServerActions {
        Objects.requireNonNull(instanceId, "instanceId");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** What Nova answers for a server it no longer knows (404): no actions. */
    public static ServerActions unknown(String instanceId) {
        return new ServerActions(instanceId, List.of(), true);
    }
}

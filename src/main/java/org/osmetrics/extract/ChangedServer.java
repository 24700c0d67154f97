package org.osmetrics.extract;

import java.util.Objects;

/** A server listed by GET /servers?changes-since (the plain list gives id and name only). */
public record ChangedServer(String instanceId, String name) {
    public ChangedServer {
        Objects.requireNonNull(instanceId, "instanceId");
    }
}

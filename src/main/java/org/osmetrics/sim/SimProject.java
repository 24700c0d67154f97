package org.osmetrics.sim;

import java.util.Objects;

/** A Keystone project in the default domain: a 32-hex id and a display name (any text). */
public record SimProject(String id, String name) {

    public SimProject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (id.isEmpty() || id.contains("/")) {
            throw new IllegalArgumentException("project id must be non-empty and contain no '/': " + id);
        }
    }
}

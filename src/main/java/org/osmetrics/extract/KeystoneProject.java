package org.osmetrics.extract;

import java.util.Objects;

/**
 * A Keystone project as the credentials may list it: its id, name and domain (the domain's name when they may list
 * domains too). Every field but the id may be null (not listed).
 */
public record KeystoneProject(String id, String name, String domainId, String domainName) {

    public KeystoneProject {
        Objects.requireNonNull(id, "id");
    }
}

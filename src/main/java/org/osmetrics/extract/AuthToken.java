package org.osmetrics.extract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Keystone v3 project-scoped token and what came with it. {@link #toString()} hides the token id.
 *
 * @param id        the token (the {@code X-Subject-Token}): a secret
 * @param expiresAt when Keystone says it expires, or null if it did not say
 */
record AuthToken(String id, Instant expiresAt, String projectId, String projectName, String userId,
                 List<String> roles, List<CatalogEndpoint> catalog) {

    AuthToken {
        Objects.requireNonNull(id, "id");
        roles = List.copyOf(roles);
        catalog = List.copyOf(catalog);
    }

    boolean isAdmin() {
        return roles.stream().anyMatch("admin"::equalsIgnoreCase);
    }

    @Override
    public String toString() {
        return "AuthToken[id=<redacted>, expiresAt=" + expiresAt + ", project=" + projectId + ", user=" + userId
                + ", roles=" + roles + ", catalog=" + catalog.size() + " endpoints]";
    }

    /** One endpoint of the token's service catalog. */
    record CatalogEndpoint(String serviceType, String serviceName, String interfaceName, String region, String url) {
    }
}

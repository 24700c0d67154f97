package org.osmetrics.sim;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Keystone's issued tokens. A token is valid until its {@code expires_at} (by the
 * injected clock) and until {@link #expireAll()} is called. Thread-safe.
 */
final class Tokens {

    /**
     * One issued token. {@code applicationCredentialId} is null for password tokens.
     */
    record Token(
            String id,
            String userId,
            String userName,
            String projectId,
            String projectName,
            List<String> roles,
            Instant issuedAt,
            Instant expiresAt,
            long generation,
            String method,
            String applicationCredentialId) {

        boolean hasRole(String role) {
            return roles.contains(role);
        }

        @Override
        public String toString() {
            return "Token[user=" + userName + ", project=" + projectId + ", roles=" + roles + "]";
        }
    }

    private final Map<String, Token> byId = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    Token issue(String userId, String userName, String projectId, String projectName, List<String> roles,
            Instant now, Duration lifetime, String method, String applicationCredentialId) {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String id = "gAAAAA" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant issued = NovaTime.truncate(now);
        Token token = new Token(id, userId, userName, projectId, projectName, List.copyOf(roles), issued,
                issued.plus(lifetime), generation.get(), method, applicationCredentialId);
        byId.put(id, token);
        return token;
    }

    /** The token if it exists, has not expired at {@code now}, and was issued after the last expireAll. */
    Optional<Token> valid(String id, Instant now) {
        if (id == null) {
            return Optional.empty();
        }
        Token token = byId.get(id);
        if (token == null) {
            return Optional.empty();
        }
        if (token.generation() != generation.get() || !now.isBefore(token.expiresAt())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** Makes every token issued so far invalid (clients must re-authenticate). */
    void expireAll() {
        generation.incrementAndGet();
        byId.clear();
    }
}

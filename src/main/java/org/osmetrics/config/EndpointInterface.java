package org.osmetrics.config;

import java.util.Locale;
import java.util.Optional;

/** Which of a service's catalog endpoints to use ({@code OS_INTERFACE}). */
public enum EndpointInterface {
    PUBLIC, INTERNAL, ADMIN;

    /** The name in a Keystone v3 catalog: {@code public}, {@code internal}, {@code admin}. */
    public String catalogName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts Keystone's names and the legacy v2 spellings ({@code publicURL}, ...), any case. */
    static Optional<EndpointInterface> parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("url")) {
            value = value.substring(0, value.length() - 3);
        }
        for (EndpointInterface candidate : values()) {
            if (candidate.catalogName().equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

package org.osmetrics.config;

import java.util.Locale;
import java.util.Optional;

/** The Keystone v3 authentication method ({@code OS_AUTH_TYPE}). */
public enum AuthType {
    /** User name or id plus password, scoped to a project. */
    PASSWORD("v3password"),
    /** An application credential (id, or name plus user) and its secret; scoped to the credential's project. */
    APPLICATION_CREDENTIAL("v3applicationcredential");

    private final String keystoneauthName;

    AuthType(String keystoneauthName) {
        this.keystoneauthName = keystoneauthName;
    }

    /** The name keystoneauth and openrc files use. */
    public String keystoneauthName() {
        return keystoneauthName;
    }

    static Optional<AuthType> parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "password", "v3password" -> Optional.of(PASSWORD);
            case "v3applicationcredential", "applicationcredential", "application_credential" ->
                    Optional.of(APPLICATION_CREDENTIAL);
            default -> Optional.empty();
        };
    }
}

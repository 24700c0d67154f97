package org.osmetrics.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The validated OpenStack settings of one run, merged from flags, {@code OS_*} variables and clouds.yaml
 * by {@link OpenStackSettingsLoader}. Immutable; {@link #toString()} never shows the password or the
 * application credential secret.
 *
 * @param cloudName         the clouds.yaml entry used ({@code OS_CLOUD}), or null
 * @param authUrl           the Keystone v3 URL, ending in {@code /v3}
 * @param regionName        the region to pick endpoints from; null means "the only one in the catalog"
 * @param cacert            a PEM bundle of trusted CAs, or null for the JVM's trust store
 * @param insecure          TLS verification off (explicitly asked for)
 * @param computeApiVersion a forced compute microversion ("2.1", "2.40"), or null to negotiate
 */
public record OpenStackSettings(
        String cloudName,
        URI authUrl,
        AuthType authType,
        String username,
        String userId,
        String userDomainName,
        String userDomainId,
        String password,
        String projectName,
        String projectId,
        String projectDomainName,
        String projectDomainId,
        String applicationCredentialId,
        String applicationCredentialName,
        String applicationCredentialSecret,
        String regionName,
        EndpointInterface endpointInterface,
        Path cacert,
        boolean insecure,
        String computeApiVersion,
        ClientTuning tuning) {

    public OpenStackSettings {
        Objects.requireNonNull(authUrl, "authUrl");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(endpointInterface, "endpointInterface");
        Objects.requireNonNull(tuning, "tuning");
    }

    /** The same settings with other tuning (page size, spans, time bounds). */
    public OpenStackSettings withTuning(ClientTuning newTuning) {
        return new OpenStackSettings(cloudName, authUrl, authType, username, userId, userDomainName, userDomainId,
                password, projectName, projectId, projectDomainName, projectDomainId, applicationCredentialId,
                applicationCredentialName, applicationCredentialSecret, regionName, endpointInterface, cacert,
                insecure, computeApiVersion, newTuning);
    }

    /** Who authenticates, for messages: user and project, or the application credential; never a secret. */
    public String principal() {
        if (authType == AuthType.APPLICATION_CREDENTIAL) {
            return "application credential " + first(applicationCredentialId, applicationCredentialName);
        }
        return "user " + first(username, userId) + " (project " + first(projectName, projectId) + ")";
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    @Override
    public String toString() {
        return "OpenStackSettings[cloud=" + cloudName + ", authUrl=" + authUrl + ", authType="
                + authType.keystoneauthName() + ", username=" + username + ", userId=" + userId
                + ", userDomainName=" + userDomainName + ", userDomainId=" + userDomainId
                + ", password=" + redacted(password) + ", projectName=" + projectName + ", projectId=" + projectId
                + ", projectDomainName=" + projectDomainName + ", projectDomainId=" + projectDomainId
                + ", applicationCredentialId=" + applicationCredentialId
                + ", applicationCredentialName=" + applicationCredentialName
                + ", applicationCredentialSecret=" + redacted(applicationCredentialSecret)
                + ", region=" + regionName + ", interface=" + endpointInterface.catalogName() + ", cacert=" + cacert
                + ", insecure=" + insecure + ", computeApiVersion=" + computeApiVersion + ", tuning=" + tuning + "]";
    }

    private static String redacted(String secret) {
        return secret == null ? "null" : "<redacted>";
    }
}

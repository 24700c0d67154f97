package org.osmetrics.config;

import java.util.List;

/**
 * One OpenStack setting and its three spellings: the command-line flag, the {@code OS_*} environment
 * variable(s) of an openrc file, and the key in a {@code clouds.yaml} cloud entry. Error messages name a
 * setting by these spellings, so a user finds it wherever they wrote it.
 */
public enum OpenStackSetting {
    CLOUD("--os-cloud", List.of("OS_CLOUD"), List.of(), false),
    AUTH_URL("--os-auth-url", List.of("OS_AUTH_URL"), List.of("auth.auth_url"), false),
    AUTH_TYPE("--os-auth-type", List.of("OS_AUTH_TYPE"), List.of("auth_type"), false),
    USERNAME("--os-username", List.of("OS_USERNAME"), List.of("auth.username"), false),
    USER_ID("--os-user-id", List.of("OS_USER_ID"), List.of("auth.user_id"), false),
    PASSWORD("--os-password", List.of("OS_PASSWORD"), List.of("auth.password"), true),
    PASSWORD_FILE("--os-password-file", List.of("OS_PASSWORD_FILE"), List.of(), false),
    USER_DOMAIN_NAME("--os-user-domain-name", List.of("OS_USER_DOMAIN_NAME"), List.of("auth.user_domain_name"), false),
    USER_DOMAIN_ID("--os-user-domain-id", List.of("OS_USER_DOMAIN_ID"), List.of("auth.user_domain_id"), false),
    PROJECT_NAME("--os-project-name", List.of("OS_PROJECT_NAME", "OS_TENANT_NAME"),
            List.of("auth.project_name", "auth.tenant_name"), false),
    PROJECT_ID("--os-project-id", List.of("OS_PROJECT_ID", "OS_TENANT_ID"),
            List.of("auth.project_id", "auth.tenant_id"), false),
    PROJECT_DOMAIN_NAME("--os-project-domain-name", List.of("OS_PROJECT_DOMAIN_NAME"),
            List.of("auth.project_domain_name"), false),
    PROJECT_DOMAIN_ID("--os-project-domain-id", List.of("OS_PROJECT_DOMAIN_ID"),
            List.of("auth.project_domain_id"), false),
    APPLICATION_CREDENTIAL_ID("--os-application-credential-id", List.of("OS_APPLICATION_CREDENTIAL_ID"),
            List.of("auth.application_credential_id"), false),
    APPLICATION_CREDENTIAL_NAME("--os-application-credential-name", List.of("OS_APPLICATION_CREDENTIAL_NAME"),
            List.of("auth.application_credential_name"), false),
    APPLICATION_CREDENTIAL_SECRET("--os-application-credential-secret", List.of("OS_APPLICATION_CREDENTIAL_SECRET"),
            List.of("auth.application_credential_secret"), true),
    REGION_NAME("--os-region-name", List.of("OS_REGION_NAME"), List.of("region_name"), false),
    INTERFACE("--os-interface", List.of("OS_INTERFACE", "OS_ENDPOINT_TYPE"), List.of("interface", "endpoint_type"), false),
    CACERT("--os-cacert", List.of("OS_CACERT"), List.of("cacert"), false),
    /** Only a flag or clouds.yaml ({@code verify: false}): turning TLS verification off is always explicit. */
    INSECURE("--insecure", List.of(), List.of("insecure"), false),
    COMPUTE_API_VERSION("--os-compute-api-version", List.of("OS_COMPUTE_API_VERSION"),
            List.of("compute_api_version"), false),
    CONFIG_FILE("--os-config-file", List.of("OS_CLIENT_CONFIG_FILE"), List.of(), false);

    private final String flag;
    private final List<String> environmentVariables;
    private final List<String> cloudsYamlKeys;
    private final boolean secret;

    OpenStackSetting(String flag, List<String> environmentVariables, List<String> cloudsYamlKeys, boolean secret) {
        this.flag = flag;
        this.environmentVariables = environmentVariables;
        this.cloudsYamlKeys = cloudsYamlKeys;
        this.secret = secret;
    }

    public String flag() {
        return flag;
    }

    /** The variables read, first one preferred (later ones are legacy spellings such as OS_TENANT_NAME). */
    public List<String> environmentVariables() {
        return environmentVariables;
    }

    /** Dotted paths inside a cloud entry of clouds.yaml, first one preferred. */
    public List<String> cloudsYamlKeys() {
        return cloudsYamlKeys;
    }

    public boolean secret() {
        return secret;
    }

    /** How error messages name the setting: {@code OS_AUTH_URL (--os-auth-url)}. */
    public String displayName() {
        return environmentVariables.isEmpty() ? flag : environmentVariables.get(0) + " (" + flag + ")";
    }
}

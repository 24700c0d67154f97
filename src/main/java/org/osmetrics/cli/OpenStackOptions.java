package org.osmetrics.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.config.OpenStackSettingsLoader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The OpenStack options shared by every command that talks to a cloud ({@code @Mixin}). Flags beat
 * {@code OS_*} variables, which beat clouds.yaml; see {@link OpenStackSettingsLoader}.
 */
public final class OpenStackOptions {

    private static final Map<String, OpenStackSetting> BY_FLAG = Arrays.stream(OpenStackSetting.values())
            .collect(Collectors.toMap(OpenStackSetting::flag, setting -> setting));

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Spec
    CommandSpec self;

    @Option(names = "--os-cloud", paramLabel = "NAME", description = "Cloud entry of clouds.yaml (env OS_CLOUD).")
    String cloud;

    @Option(names = "--os-config-file", paramLabel = "FILE",
            description = "clouds.yaml to read instead of searching the working directory, then"
                    + " ~/.config/openstack/ then /etc/openstack/ (env OS_CLIENT_CONFIG_FILE).")
    String configFile;

    @Option(names = "--os-auth-url", paramLabel = "URL", description = "Keystone URL, e.g. https://keystone:5000/v3 (env OS_AUTH_URL).")
    String authUrl;

    @Option(names = "--os-auth-type", paramLabel = "TYPE",
            description = "password (default) or v3applicationcredential (env OS_AUTH_TYPE).")
    String authType;

    @Option(names = "--os-username", paramLabel = "NAME", description = "User name (env OS_USERNAME).")
    String username;

    @Option(names = "--os-user-id", paramLabel = "ID", description = "User id (env OS_USER_ID).")
    String userId;

    @Option(names = "--os-password", paramLabel = "PASSWORD",
            description = "Password (env OS_PASSWORD; prefer the environment or --os-password-file: flags show in process lists).")
    String password;

    @Option(names = "--os-password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    String passwordFile;

    @Option(names = "--os-user-domain-name", paramLabel = "NAME", description = "User's domain name (env OS_USER_DOMAIN_NAME).")
    String userDomainName;

    @Option(names = "--os-user-domain-id", paramLabel = "ID", description = "User's domain id (env OS_USER_DOMAIN_ID).")
    String userDomainId;

    @Option(names = "--os-project-name", paramLabel = "NAME", description = "Project to scope to (env OS_PROJECT_NAME).")
    String projectName;

    @Option(names = "--os-project-id", paramLabel = "ID", description = "Project id to scope to (env OS_PROJECT_ID).")
    String projectId;

    @Option(names = "--os-project-domain-name", paramLabel = "NAME",
            description = "Project's domain name (env OS_PROJECT_DOMAIN_NAME).")
    String projectDomainName;

    @Option(names = "--os-project-domain-id", paramLabel = "ID", description = "Project's domain id (env OS_PROJECT_DOMAIN_ID).")
    String projectDomainId;

    @Option(names = "--os-application-credential-id", paramLabel = "ID",
            description = "Application credential id (env OS_APPLICATION_CREDENTIAL_ID).")
    String applicationCredentialId;

    @Option(names = "--os-application-credential-name", paramLabel = "NAME",
            description = "Application credential name, with the user (env OS_APPLICATION_CREDENTIAL_NAME).")
    String applicationCredentialName;

    @Option(names = "--os-application-credential-secret", paramLabel = "SECRET",
            description = "Application credential secret (env OS_APPLICATION_CREDENTIAL_SECRET; prefer the environment).")
    String applicationCredentialSecret;

    @Option(names = "--os-region-name", paramLabel = "REGION", description = "Region of the endpoints (env OS_REGION_NAME).")
    String regionName;

    @Option(names = "--os-interface", paramLabel = "INTERFACE",
            description = "Endpoint interface: public (default), internal or admin (env OS_INTERFACE).")
    String endpointInterface;

    @Option(names = "--os-cacert", paramLabel = "FILE", description = "PEM file of CAs to trust for TLS (env OS_CACERT).")
    String cacert;

    @Option(names = "--insecure", description = "Do not verify TLS certificates (unsafe; prints a warning).")
    boolean insecure;

    @Option(names = "--os-compute-api-version", paramLabel = "VERSION",
            description = "Force a compute microversion, e.g. 2.1 or 2.40 (env OS_COMPUTE_API_VERSION; default: negotiate).")
    String computeApiVersion;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + ClientTuning.DEFAULT_PAGE_SIZE,
            description = "Servers per Nova page at microversion 2.40+ (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--call-span", paramLabel = "DURATION", defaultValue = "1d",
            converter = TimeArguments.DurationConverter.class,
            description = "How much time one usage call covers, e.g. 6h, 1d (default: ${DEFAULT-VALUE}; backfill: 30d).")
    Duration callSpan;

    @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "2m",
            converter = TimeArguments.DurationConverter.class,
            description = "Keep retrying a failing OpenStack request this long before giving up (default: ${DEFAULT-VALUE}).")
    Duration retryFor;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = TimeArguments.DurationConverter.class,
            description = "Connect timeout of one request (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "120s",
            converter = TimeArguments.DurationConverter.class,
            description = "Time one request may take to answer (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    /**
     * Loads and validates the settings from these flags, the run's environment and clouds.yaml (exit 3 if bad);
     * warns on the command's stderr when TLS verification is off.
     */
    public OpenStackSettings settings() {
        ClientTuning tuning = new ClientTuning(pageSize, callSpan, retryFor, connectTimeout, readTimeout);
        OpenStackSettings settings = OpenStackSettingsLoader.load(flags(), Main.environmentOf(mixee), tuning);
        if (settings.insecure()) {
            mixee.commandLine().getErr().println("os-metrics: WARNING: TLS certificate verification is off (--insecure or "
                    + "clouds.yaml verify: false): anyone on the network path to " + settings.authUrl().getHost()
                    + " can read the credentials; set OS_CACERT to the cloud's CA instead");
        }
        return settings;
    }

    /**
     * The settings given as flags: each option above whose name is an {@link OpenStackSetting}'s flag, read from
     * picocli's model, so an option is declared once (here) and named once (in {@code OpenStackSetting});
     * {@code OpenStackOptionsTest} checks that every setting has its option.
     */
    Map<OpenStackSetting, String> flags() {
        Map<OpenStackSetting, String> flags = new EnumMap<>(OpenStackSetting.class);
        for (OptionSpec option : self.options()) {
            Object value = option.getValue();
            OpenStackSetting setting = BY_FLAG.get(option.longestName());
            if (setting != null && value != null && !Boolean.FALSE.equals(value)) {
                flags.put(setting, value.toString());
            }
        }
        return flags;
    }
}

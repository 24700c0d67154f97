package org.osmetrics.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osmetrics.OsMetricsException;

/**
 * The one place that reads OpenStack settings: flags beat {@code OS_*} environment variables, which beat the
 * clouds.yaml entry selected by {@code OS_CLOUD}/{@code --os-cloud}. Everything is validated here, once;
 * every error (exit code 3) names the setting and where its value came from, never a secret's value.
 */
public final class OpenStackSettingsLoader {

    private static final Pattern MICROVERSION = Pattern.compile("2(?:\\.(\\d+))?");

    /** A setting's value and where it came from, for messages. */
    private record Value(String text, String origin, int level) {
    }

    private final Map<OpenStackSetting, String> flags;
    private final Map<String, String> environment;
    private final CloudsYaml.CloudEntry cloud;

    private OpenStackSettingsLoader(Map<OpenStackSetting, String> flags, Map<String, String> environment,
                                    CloudsYaml.CloudEntry cloud) {
        this.flags = flags;
        this.environment = environment;
        this.cloud = cloud;
    }

    /**
     * Loads settings the way the OpenStack client does: clouds.yaml from {@code --os-config-file} or
     * {@code OS_CLIENT_CONFIG_FILE}, else {@code ./clouds.yaml}, {@code ~/.config/openstack/clouds.yaml},
     * {@code /etc/openstack/clouds.yaml} ({@code ~} from {@code HOME} in {@code environment}).
     *
     * @param flags       values given on the command line (absent or blank means "not given")
     * @param environment the process environment
     * @param tuning      page size, spans and time bounds from the command line
     */
    public static OpenStackSettings load(Map<OpenStackSetting, String> flags, Map<String, String> environment,
                                         ClientTuning tuning) {
        return load(flags, environment, Path.of("").toAbsolutePath(), tuning);
    }

    /** As {@link #load(Map, Map, ClientTuning)} with the working directory searched for clouds.yaml given. */
    public static OpenStackSettings load(Map<OpenStackSetting, String> flags, Map<String, String> environment,
                                         Path workingDirectory, ClientTuning tuning) {
        Map<OpenStackSetting, String> givenFlags = new EnumMap<>(OpenStackSetting.class);
        flags.forEach((setting, value) -> {
            if (value != null && !value.isBlank()) {
                givenFlags.put(setting, value.trim());
            }
        });
        OpenStackSettingsLoader withoutCloud = new OpenStackSettingsLoader(givenFlags, environment, null);
        Optional<Value> cloudName = withoutCloud.value(OpenStackSetting.CLOUD);
        CloudsYaml.CloudEntry cloud = null;
        if (cloudName.isPresent()) {
            Optional<Value> explicitFile = withoutCloud.value(OpenStackSetting.CONFIG_FILE);
            List<Path> cloudsFiles;
            if (explicitFile.isPresent()) {
                Path file = Path.of(explicitFile.get().text());
                if (!Files.isRegularFile(file)) {
                    throw OsMetricsException.config(OpenStackSetting.CONFIG_FILE.displayName() + " names " + file
                            + ", which does not exist or is not a file");
                }
                cloudsFiles = List.of(file);
            } else {
                cloudsFiles = CloudsYaml.standardLocations("clouds.yaml", environment, workingDirectory);
            }
            List<Path> secureFiles = Optional.ofNullable(environment.get("OS_CLIENT_SECURE_FILE"))
                    .filter(s -> !s.isBlank()).map(s -> List.of(Path.of(s)))
                    .orElseGet(() -> CloudsYaml.standardLocations("secure.yaml", environment, workingDirectory));
            cloud = CloudsYaml.read(cloudName.get().text(), cloudsFiles, secureFiles);
        } else if (givenFlags.containsKey(OpenStackSetting.CONFIG_FILE)) {
            throw OsMetricsException.config("--os-config-file is given but no cloud is chosen: add --os-cloud NAME "
                    + "or set OS_CLOUD");
        }
        return new OpenStackSettingsLoader(givenFlags, environment, cloud).build(tuning);
    }

    private OpenStackSettings build(ClientTuning tuning) {
        URI authUrl = authUrl();
        AuthType authType = authType();
        String password = null;
        if (authType == AuthType.PASSWORD) {
            password = password();
            requireOne(OpenStackSetting.USERNAME, OpenStackSetting.USER_ID, "the user");
            if (text(OpenStackSetting.USER_ID) == null) {
                requireOne(OpenStackSetting.USER_DOMAIN_NAME, OpenStackSetting.USER_DOMAIN_ID,
                        "the user's domain (needed with " + OpenStackSetting.USERNAME.displayName() + ")");
            }
            requireOne(OpenStackSetting.PROJECT_ID, OpenStackSetting.PROJECT_NAME, "the project to scope to");
            if (text(OpenStackSetting.PROJECT_ID) == null) {
                requireOne(OpenStackSetting.PROJECT_DOMAIN_NAME, OpenStackSetting.PROJECT_DOMAIN_ID,
                        "the project's domain (needed with " + OpenStackSetting.PROJECT_NAME.displayName() + ")");
            }
        } else {
            require(OpenStackSetting.APPLICATION_CREDENTIAL_SECRET, "with application credentials");
            if (text(OpenStackSetting.APPLICATION_CREDENTIAL_ID) == null) {
                requireOne(OpenStackSetting.APPLICATION_CREDENTIAL_ID, OpenStackSetting.APPLICATION_CREDENTIAL_NAME,
                        "the application credential");
                requireOne(OpenStackSetting.USER_ID, OpenStackSetting.USERNAME,
                        "the credential's owner (needed with " + OpenStackSetting.APPLICATION_CREDENTIAL_NAME.displayName() + ")");
                if (text(OpenStackSetting.USER_ID) == null) {
                    requireOne(OpenStackSetting.USER_DOMAIN_NAME, OpenStackSetting.USER_DOMAIN_ID,
                            "the user's domain (needed with " + OpenStackSetting.USERNAME.displayName() + ")");
                }
            }
            for (OpenStackSetting scope : List.of(OpenStackSetting.PROJECT_ID, OpenStackSetting.PROJECT_NAME)) {
                value(scope).ifPresent(v -> {
                    throw OsMetricsException.config(scope.displayName() + " (from " + v.origin()
                            + ") cannot be used with an application credential, whose token is always scoped to the "
                            + "credential's own project: unset it");
                });
            }
        }
        EndpointInterface endpointInterface = value(OpenStackSetting.INTERFACE)
                .map(v -> EndpointInterface.parse(v.text()).orElseThrow(() -> OsMetricsException.config(
                        OpenStackSetting.INTERFACE.displayName() + " is '" + v.text() + "' (from " + v.origin()
                                + "): use public, internal or admin")))
                .orElse(EndpointInterface.PUBLIC);
        boolean insecure = insecure();
        Path cacert = cacert();
        if (insecure && cacert != null) {
            throw OsMetricsException.config("--insecure (from " + value(OpenStackSetting.INSECURE).map(Value::origin).orElse("")
                    + ") contradicts " + OpenStackSetting.CACERT.displayName() + " (from "
                    + value(OpenStackSetting.CACERT).map(Value::origin).orElse("") + "): keep one of them");
        }
        return new OpenStackSettings(
                cloud == null ? null : cloud.name(),
                authUrl,
                authType,
                text(OpenStackSetting.USERNAME),
                text(OpenStackSetting.USER_ID),
                text(OpenStackSetting.USER_DOMAIN_NAME),
                text(OpenStackSetting.USER_DOMAIN_ID),
                password,
                authType == AuthType.PASSWORD ? text(OpenStackSetting.PROJECT_NAME) : null,
                authType == AuthType.PASSWORD ? text(OpenStackSetting.PROJECT_ID) : null,
                authType == AuthType.PASSWORD ? text(OpenStackSetting.PROJECT_DOMAIN_NAME) : null,
                authType == AuthType.PASSWORD ? text(OpenStackSetting.PROJECT_DOMAIN_ID) : null,
                authType == AuthType.APPLICATION_CREDENTIAL ? text(OpenStackSetting.APPLICATION_CREDENTIAL_ID) : null,
                authType == AuthType.APPLICATION_CREDENTIAL ? text(OpenStackSetting.APPLICATION_CREDENTIAL_NAME) : null,
                authType == AuthType.APPLICATION_CREDENTIAL ? text(OpenStackSetting.APPLICATION_CREDENTIAL_SECRET) : null,
                text(OpenStackSetting.REGION_NAME),
                endpointInterface,
                cacert,
                insecure,
                computeApiVersion(),
                tuning);
    }

    private URI authUrl() {
        Value value = value(OpenStackSetting.AUTH_URL).orElseThrow(() -> OsMetricsException.config(
                OpenStackSetting.AUTH_URL.displayName() + " is not set: source your openrc file, choose a clouds.yaml "
                        + "entry with OS_CLOUD/--os-cloud, or pass --os-auth-url https://keystone.example.com:5000/v3"));
        URI uri;
        try {
            uri = new URI(value.text());
        } catch (URISyntaxException e) {
            throw OsMetricsException.config(OpenStackSetting.AUTH_URL.displayName() + " '" + value.text() + "' (from "
                    + value.origin() + ") is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw OsMetricsException.config(OpenStackSetting.AUTH_URL.displayName() + " '" + value.text() + "' (from "
                    + value.origin() + ") needs a scheme and a host: write it as https://keystone.example.com:5000/v3");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw OsMetricsException.config(OpenStackSetting.AUTH_URL.displayName() + " (from " + value.origin()
                    + ") must be a plain URL without user info, query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.endsWith("/v2.0")) {
            throw OsMetricsException.config(OpenStackSetting.AUTH_URL.displayName() + " '" + value.text() + "' (from "
                    + value.origin() + ") is a Keystone v2.0 URL: os-metrics needs Keystone v3 (…/v3)");
        }
        if (!path.endsWith("/v3")) {
            path = path + "/v3";
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private AuthType authType() {
        Optional<Value> explicit = value(OpenStackSetting.AUTH_TYPE);
        if (explicit.isPresent()) {
            return AuthType.parse(explicit.get().text()).orElseThrow(() -> OsMetricsException.config(
                    OpenStackSetting.AUTH_TYPE.displayName() + " is '" + explicit.get().text() + "' (from "
                            + explicit.get().origin() + "): os-metrics supports password (v3password) and "
                            + "v3applicationcredential"));
        }
        Optional<Value> credential = value(OpenStackSetting.APPLICATION_CREDENTIAL_ID)
                .or(() -> value(OpenStackSetting.APPLICATION_CREDENTIAL_NAME))
                .or(() -> value(OpenStackSetting.APPLICATION_CREDENTIAL_SECRET));
        Optional<Value> password = value(OpenStackSetting.PASSWORD).or(() -> value(OpenStackSetting.PASSWORD_FILE));
        if (credential.isPresent() && password.isPresent()) {
            throw OsMetricsException.config("both a password (from " + password.get().origin()
                    + ") and an application credential (from " + credential.get().origin() + ") are set: set "
                    + OpenStackSetting.AUTH_TYPE.displayName() + " to v3password or v3applicationcredential, or remove one");
        }
        return credential.isPresent() ? AuthType.APPLICATION_CREDENTIAL : AuthType.PASSWORD;
    }

    private String password() {
        Optional<Value> inline = value(OpenStackSetting.PASSWORD);
        Optional<Value> file = value(OpenStackSetting.PASSWORD_FILE);
        if (inline.isPresent() && file.isPresent() && inline.get().level() == file.get().level()) {
            throw OsMetricsException.config("both " + inline.get().origin() + " and " + file.get().origin()
                    + " are set: keep one of them");
        }
        if (file.isPresent() && (inline.isEmpty() || file.get().level() < inline.get().level())) {
            Path path = Path.of(file.get().text());
            try {
                List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw OsMetricsException.config("the password file " + path + " (from " + file.get().origin()
                            + ") is empty: its first line must be the password");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw OsMetricsException.config("cannot read the password file " + path + " (from "
                        + file.get().origin() + "): " + e.getClass().getSimpleName());
            }
        }
        return inline.map(Value::text).orElseThrow(() -> OsMetricsException.config(
                OpenStackSetting.PASSWORD.displayName() + " is not set: source your openrc file, set it in clouds.yaml "
                        + "or secure.yaml, or pass --os-password-file (avoid --os-password: other users can see it "
                        + "in the process list)"));
    }

    private boolean insecure() {
        if (flags.containsKey(OpenStackSetting.INSECURE)) {
            return Boolean.parseBoolean(flags.get(OpenStackSetting.INSECURE));
        }
        if (cloud != null) {
            Optional<String> verify = cloud.value("verify");
            if (verify.isPresent()) {
                return !Boolean.parseBoolean(verify.get());
            }
            return cloud.value("insecure").map(Boolean::parseBoolean).orElse(false);
        }
        return false;
    }

    private Path cacert() {
        Optional<Value> value = value(OpenStackSetting.CACERT);
        if (value.isEmpty()) {
            return null;
        }
        Path path = Path.of(value.get().text());
        if (!Files.isReadable(path) || !Files.isRegularFile(path)) {
            throw OsMetricsException.config(OpenStackSetting.CACERT.displayName() + " names " + path + " (from "
                    + value.get().origin() + "), which is not a readable file");
        }
        return path;
    }

    private String computeApiVersion() {
        Optional<Value> value = value(OpenStackSetting.COMPUTE_API_VERSION);
        if (value.isEmpty() || value.get().text().equalsIgnoreCase("2.latest")) {
            return null;
        }
        Matcher matcher = MICROVERSION.matcher(value.get().text());
        if (!matcher.matches() || (matcher.group(1) != null && Integer.parseInt(matcher.group(1)) < 1)) {
            throw OsMetricsException.config(OpenStackSetting.COMPUTE_API_VERSION.displayName() + " is '"
                    + value.get().text() + "' (from " + value.get().origin()
                    + "): use a compute microversion such as 2.1 or 2.40, or 2.latest to negotiate");
        }
        return matcher.group(1) == null ? "2.1" : "2." + Integer.parseInt(matcher.group(1));
    }

    private void require(OpenStackSetting setting, String why) {
        if (value(setting).isEmpty()) {
            throw OsMetricsException.config(setting.displayName() + " is not set; it is required " + why);
        }
    }

    private void requireOne(OpenStackSetting preferred, OpenStackSetting alternative, String what) {
        if (value(preferred).isEmpty() && value(alternative).isEmpty()) {
            throw OsMetricsException.config("no " + what + ": set " + preferred.displayName() + " or "
                    + alternative.displayName());
        }
    }

    private String text(OpenStackSetting setting) {
        return value(setting).map(Value::text).orElse(null);
    }

    /** Flags, then environment variables, then the clouds.yaml entry; blank counts as absent. */
    private Optional<Value> value(OpenStackSetting setting) {
        String flag = flags.get(setting);
        if (flag != null) {
            return Optional.of(new Value(flag, setting.flag(), 0));
        }
        for (String variable : setting.environmentVariables()) {
            String text = environment.get(variable);
            if (text != null && !text.isBlank()) {
                return Optional.of(new Value(text.trim(), variable, 1));
            }
        }
        if (cloud != null) {
            for (String key : setting.cloudsYamlKeys()) {
                Optional<String> text = cloud.value(key);
                if (text.isPresent()) {
                    return Optional.of(new Value(text.get(), cloud.file() + " (cloud '" + cloud.name() + "', " + key + ")", 2));
                }
            }
        }
        return Optional.empty();
    }
}

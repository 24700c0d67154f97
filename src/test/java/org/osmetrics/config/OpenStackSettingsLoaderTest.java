package org.osmetrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;

class OpenStackSettingsLoaderTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @TempDir
    Path home;

    private final Map<OpenStackSetting, String> flags = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private OpenStackSettings load() {
        env.putIfAbsent("HOME", home.toString());
        return OpenStackSettingsLoader.load(flags, env, home.resolve("cwd"), ClientTuning.defaults());
    }

    private void openrc() {
        env.put("OS_AUTH_URL", "https://keystone.example.com:5000/v3");
        env.put("OS_USERNAME", "admin");
        env.put("OS_PASSWORD", SECRET);
        env.put("OS_USER_DOMAIN_NAME", "Default");
        env.put("OS_PROJECT_NAME", "admin");
        env.put("OS_PROJECT_DOMAIN_ID", "default");
        env.put("OS_REGION_NAME", "RegionOne");
    }

    private Path cloudsYaml(String text) throws IOException {
        Path file = home.resolve(".config/openstack/clouds.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static final String CLOUDS = """
            clouds:
              prod:
                auth:
                  auth_url: https://yaml.example.com:5000
                  username: yaml-user
                  password: yaml-password
                  user_domain_name: Default
                  project_id: 0123abcd
                region_name: YamlRegion
                interface: internal
              other:
                auth:
                  auth_url: http://other:5000/v3
            """;

    @Test
    void openrcEnvironmentGivesPasswordSettingsWithPublicInterfaceAndVerification() {
        openrc();
        OpenStackSettings settings = load();
        assertThat(settings.authUrl().toString()).isEqualTo("https://keystone.example.com:5000/v3");
        assertThat(settings.authType()).isEqualTo(AuthType.PASSWORD);
        assertThat(settings.username()).isEqualTo("admin");
        assertThat(settings.password()).isEqualTo(SECRET);
        assertThat(settings.projectDomainId()).isEqualTo("default");
        assertThat(settings.regionName()).isEqualTo("RegionOne");
        assertThat(settings.endpointInterface()).isEqualTo(EndpointInterface.PUBLIC);
        assertThat(settings.insecure()).isFalse();
        assertThat(settings.cloudName()).isNull();
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsCloudsYaml() throws IOException {
        cloudsYaml(CLOUDS);
        env.put("OS_CLOUD", "prod");
        env.put("OS_USERNAME", "env-user");
        env.put("OS_REGION_NAME", "EnvRegion");
        flags.put(OpenStackSetting.REGION_NAME, "FlagRegion");
        OpenStackSettings settings = load();
        assertThat(settings.cloudName()).isEqualTo("prod");
        assertThat(settings.regionName()).isEqualTo("FlagRegion");
        assertThat(settings.username()).isEqualTo("env-user");
        assertThat(settings.password()).isEqualTo("yaml-password");
        assertThat(settings.projectId()).isEqualTo("0123abcd");
        assertThat(settings.endpointInterface()).isEqualTo(EndpointInterface.INTERNAL);
        assertThat(settings.authUrl().toString()).isEqualTo("https://yaml.example.com:5000/v3");
    }

    @Test
    void cloudsYamlIsIgnoredWhenNoCloudIsChosen() throws IOException {
        cloudsYaml(CLOUDS);
        assertThatThrownBy(this::load).isInstanceOf(OsMetricsException.class).hasMessageContaining("OS_AUTH_URL");
    }

    @Test
    void configFileFlagIsReadInsteadOfTheSearchedLocations() throws IOException {
        Path file = Files.writeString(home.resolve("mine.yaml"), CLOUDS.replace("yaml-user", "file-user"));
        flags.put(OpenStackSetting.CLOUD, "prod");
        flags.put(OpenStackSetting.CONFIG_FILE, file.toString());
        assertThat(load().username()).isEqualTo("file-user");
    }

    @Test
    void secureYamlSuppliesThePasswordOfACloud() throws IOException {
        cloudsYaml(CLOUDS.replace("      password: yaml-password\n", ""));
        Files.writeString(home.resolve(".config/openstack/secure.yaml"), """
                clouds:
                  prod:
                    auth:
                      password: from-secure
                """);
        env.put("OS_CLOUD", "prod");
        assertThat(load().password()).isEqualTo("from-secure");
    }

    @Test
    void unknownCloudListsTheCloudsOfTheFile() throws IOException {
        cloudsYaml(CLOUDS);
        env.put("OS_CLOUD", "staging");
        assertThatThrownBy(this::load).isInstanceOf(OsMetricsException.class)
                .hasMessageContaining("cloud 'staging'").hasMessageContaining("other, prod");
    }

    @Test
    void malformedCloudsYamlNamesFileAndLineWithoutItsContent() throws IOException {
        Path file = cloudsYaml("clouds:\n  prod:\n    auth:\n      password: " + SECRET + "\n     bad: [\n");
        env.put("OS_CLOUD", "prod");
        OsMetricsException error = catchConfig();
        assertThat(error.getMessage()).contains(file.toString()).contains("line ");
        assertThat(error.getMessage()).doesNotContain(SECRET);
        assertThat(error.getCause()).isNull();
    }

    @Test
    void missingPasswordIsNamedWithItsVariableAndFlag() {
        openrc();
        env.remove("OS_PASSWORD");
        assertThat(catchConfig().getMessage()).contains("OS_PASSWORD (--os-password)");
    }

    @Test
    void projectNameWithoutDomainIsNamed() {
        openrc();
        env.remove("OS_PROJECT_DOMAIN_ID");
        assertThat(catchConfig().getMessage()).contains("OS_PROJECT_DOMAIN_NAME").contains("OS_PROJECT_DOMAIN_ID");
    }

    @Test
    void authUrlWithoutSchemeIsAConfigurationError() {
        openrc();
        env.put("OS_AUTH_URL", "keystone.example.com:5000/v3");
        assertThat(catchConfig().getMessage()).contains("OS_AUTH_URL").contains("scheme");
    }

    @Test
    void authUrlWithoutVersionGetsV3() {
        openrc();
        env.put("OS_AUTH_URL", "http://keystone:5000/");
        assertThat(load().authUrl().toString()).isEqualTo("http://keystone:5000/v3");
    }

    @Test
    void passwordAndApplicationCredentialTogetherAreContradictory() {
        openrc();
        env.put("OS_APPLICATION_CREDENTIAL_ID", "cred");
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", SECRET);
        OsMetricsException error = catchConfig();
        assertThat(error.getMessage()).contains("OS_PASSWORD").contains("OS_APPLICATION_CREDENTIAL").contains("OS_AUTH_TYPE")
                .doesNotContain(SECRET);
    }

    @Test
    void applicationCredentialOpenrcNeedsNoProject() {
        env.put("OS_AUTH_TYPE", "v3applicationcredential");
        env.put("OS_AUTH_URL", "http://keystone:5000/v3");
        env.put("OS_APPLICATION_CREDENTIAL_ID", "cred-id");
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", SECRET);
        OpenStackSettings settings = load();
        assertThat(settings.authType()).isEqualTo(AuthType.APPLICATION_CREDENTIAL);
        assertThat(settings.applicationCredentialSecret()).isEqualTo(SECRET);
        assertThat(settings.password()).isNull();
    }

    @Test
    void applicationCredentialWithAProjectScopeIsContradictory() {
        env.put("OS_AUTH_URL", "http://keystone:5000/v3");
        env.put("OS_APPLICATION_CREDENTIAL_ID", "cred-id");
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", SECRET);
        env.put("OS_PROJECT_NAME", "demo");
        assertThat(catchConfig().getMessage()).contains("OS_PROJECT_NAME").contains("application credential");
    }

    @Test
    void passwordFileIsReadAndBeatsTheEnvironment() throws IOException {
        openrc();
        flags.put(OpenStackSetting.PASSWORD_FILE, Files.writeString(home.resolve("pw"), "from-file\n").toString());
        assertThat(load().password()).isEqualTo("from-file");
    }

    @Test
    void insecureContradictsACaCertificate() throws IOException {
        openrc();
        env.put("OS_CACERT", Files.writeString(home.resolve("ca.pem"), "x").toString());
        flags.put(OpenStackSetting.INSECURE, "true");
        assertThat(catchConfig().getMessage()).contains("--insecure").contains("OS_CACERT");
    }

    @Test
    void missingCaCertificateFileIsNamed() {
        openrc();
        env.put("OS_CACERT", home.resolve("nope.pem").toString());
        assertThat(catchConfig().getMessage()).contains("OS_CACERT").contains("nope.pem");
    }

    @Test
    void interfaceAcceptsLegacySpellingAndRejectsUnknown() {
        openrc();
        env.put("OS_INTERFACE", "internalURL");
        assertThat(load().endpointInterface()).isEqualTo(EndpointInterface.INTERNAL);
        env.put("OS_INTERFACE", "private");
        assertThat(catchConfig().getMessage()).contains("OS_INTERFACE").contains("public, internal or admin");
    }

    @Test
    void computeApiVersionIsNormalisedOrRejected() {
        openrc();
        env.put("OS_COMPUTE_API_VERSION", "2.040");
        assertThat(load().computeApiVersion()).isEqualTo("2.40");
        env.put("OS_COMPUTE_API_VERSION", "3.1");
        assertThat(catchConfig().getMessage()).contains("OS_COMPUTE_API_VERSION");
    }

    @Test
    void toStringNeverShowsSecrets() {
        openrc();
        String text = load().toString();
        assertThat(text).doesNotContain(SECRET).contains("password=<redacted>").contains("username=admin");
    }

    private OsMetricsException catchConfig() {
        try {
            load();
        } catch (OsMetricsException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG);
            return e;
        }
        throw new AssertionError("expected a configuration error");
    }
}

package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.osmetrics.Cancellation;
import org.osmetrics.config.OpenStackSetting;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The OpenStack options: each setting has one option, shared by the commands that talk to a cloud. */
class OpenStackOptionsTest {

    private static CommandLine command(String name) {
        return new CommandLine(new Main(Map.of(), new Cancellation())).getSubcommands().get(name);
    }

    @Test
    void everySettingHasExactlyOneOptionInEachCommandThatTalksToACloud() {
        List<String> settingFlags = Arrays.stream(OpenStackSetting.values()).map(OpenStackSetting::flag).sorted().toList();
        for (String name : List.of("run", "backfill", "extract")) {
            List<String> names = command(name).getCommandSpec().options().stream()
                    .flatMap(option -> Arrays.stream(option.names()))
                    .filter(flag -> settingFlags.contains(flag))
                    .sorted().toList();
            assertThat(names).as(name).isEqualTo(settingFlags);
        }
    }

    @Test
    void theFlagsGivenReachTheirSettingsAndNoOthers() {
        CommandLine root = new CommandLine(new Main(Map.of(), new Cancellation()));
        root.parseArgs("run", "--os-auth-url", "https://keystone.example.org:5000/v3", "--os-username", "alice",
                "--os-password-file", "/run/secrets/os", "--os-project-name", "billing", "--insecure",
                "--os-interface", "internal", "--page-size", "50");
        Map<OpenStackSetting, String> flags = ((RunCommand) root.getSubcommands().get("run").getCommand()).openstack.flags();
        Map<OpenStackSetting, String> expected = new EnumMap<>(OpenStackSetting.class);
        expected.put(OpenStackSetting.AUTH_URL, "https://keystone.example.org:5000/v3");
        expected.put(OpenStackSetting.USERNAME, "alice");
        expected.put(OpenStackSetting.PASSWORD_FILE, "/run/secrets/os");
        expected.put(OpenStackSetting.PROJECT_NAME, "billing");
        expected.put(OpenStackSetting.INSECURE, "true");
        expected.put(OpenStackSetting.INTERFACE, "internal");
        assertThat(flags).isEqualTo(expected);
    }

    @Test
    void withoutFlagsNoSettingComesFromTheCommandLine() {
        CommandLine root = new CommandLine(new Main(Map.of(), new Cancellation()));
        root.parseArgs("run");
        assertThat(((RunCommand) root.getSubcommands().get("run").getCommand()).openstack.flags()).isEmpty();
    }

    @Test
    void dbUrlIsOneOptionWhoseBenchTextSaysItIsTheScratchDatabasesServer() {
        OptionSpec runUrl = command("run").getCommandSpec().findOption("--db-url");
        OptionSpec benchUrl = command("bench").getCommandSpec().findOption("--db-url");
        assertThat(String.join(" ", runUrl.description())).startsWith("PostgreSQL JDBC URL");
        assertThat(String.join(" ", benchUrl.description())).startsWith("Benchmark on this PostgreSQL server");
        assertThat(command("bench").getCommandSpec().findOption("--data-dir")).isNull();
        assertThat(command("bench").getCommandSpec().options().stream().map(OptionSpec::longestName)
                .collect(Collectors.toList())).containsOnlyOnce("--db-url");
    }
}

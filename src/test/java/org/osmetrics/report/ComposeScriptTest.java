package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real compose.sh, run by bash as a child process. */
class ComposeScriptTest {

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    private Result compose(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("compose.sh").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("OS_METRICS_OUTPUT_DIR", dir.resolve("output").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void wrongArgumentCountPrintsTheUsageAndExits2() throws Exception {
        Result result = compose(Map.of(), "user", "-", "2.1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).startsWith("usage: compose.sh USERNAME PASSWORD NOVACLIENT_VERSION OPENSTACK_PROJECT AUTH_URL");
    }

    @Test
    void dashPasswordWithoutOsPasswordIsRefused() throws Exception {
        Result result = compose(Map.of(), "user", "-", "2.1", "project", "https://keystone.example:5000");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("OS_PASSWORD is not set");
    }

    @Test
    void malformedNovaclientVersionIsRefused() throws Exception {
        Result result = compose(Map.of("OS_PASSWORD", "x"), "user", "-", "latest", "project", "https://keystone.example:5000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("NOVACLIENT_VERSION 'latest'");
    }
}

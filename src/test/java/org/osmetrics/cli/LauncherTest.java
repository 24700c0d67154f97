package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.ClassPathJar;

/**
 * bin/os-metrics, the POSIX sh launcher, run by {@code sh} as an operator runs it: installed beside its jar,
 * through a symlink, with the small-VM JVM defaults that JAVA_OPTS overrides.
 */
class LauncherTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    /** The launcher as installed: /opt/os-metrics/bin/os-metrics and /opt/os-metrics/os-metrics.jar. */
    private Path install() throws IOException {
        Path launcher = dir.resolve("opt/os-metrics/bin/os-metrics");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("bin", "os-metrics"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        ClassPathJar.create(dir.resolve("opt/os-metrics/os-metrics.jar"));
        return launcher;
    }

    private static Result run(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_") || name.startsWith("JAVA"));
        builder.environment().put("JAVA", JAVA);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void theInstalledLauncherFindsItsJarAlsoThroughASymlinkAndRunsVersion() throws Exception {
        Path launcher = install();
        Path link = Files.createDirectories(dir.resolve("usr/local/bin")).resolve("os-metrics");
        Files.createSymbolicLink(link, launcher);

        for (Path path : List.of(launcher, link)) {
            Result version = run(path, Map.of(), "--version");

            assertThat(version.exitCode()).as(version.output()).isZero();
            assertThat(version.output()).startsWith("os-metrics ");
        }
    }

    @Test
    void theJvmIsSmallBySerialGcAndJavaOptsOverridesTheHeap() throws Exception {
        Path launcher = install();

        Result defaults = run(launcher, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        Result overridden = run(launcher, Map.of("JAVA_OPTS", "-Xmx300m -XX:+PrintFlagsFinal"), "--version");

        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        assertThat(defaults.output()).containsPattern("MaxHeapSize += 536870912 ")
                .containsPattern("UseSerialGC += true ").containsPattern("MaxMetaspaceSize += 201326592 ");
        assertThat(overridden.exitCode()).as(overridden.output()).isZero();
        assertThat(overridden.output()).containsPattern("MaxHeapSize += 314572800 ").contains("os-metrics ");
    }

    @Test
    void withoutAJarItSaysWhereItLookedAndHowToBuildOne() throws Exception {
        Path launcher = install();
        Files.delete(dir.resolve("opt/os-metrics/os-metrics.jar"));

        Result missing = run(launcher, Map.of(), "--version");

        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.output()).contains("no os-metrics.jar", "mvn -q -B package -DskipTests", "OS_METRICS_JAR");
    }
}

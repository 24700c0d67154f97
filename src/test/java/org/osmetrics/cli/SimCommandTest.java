package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osmetrics.ExitCode;

/** {@code os-metrics sim} serves a cloud that the other commands reach with the variables it prints. */
class SimCommandTest {

    @Test
    void printedOpenrcReachesTheServedCloud() throws Exception {
        PipedReader pipe = new PipedReader();
        PrintWriter simOut = new PrintWriter(new PipedWriter(pipe), true);
        Thread server = new Thread(() -> Main.execute(Map.of(), simOut, new PrintWriter(new StringWriter(), true),
                "sim", "--projects", "2", "--servers", "40", "--days", "3", "--for", "60s"), "sim-command");
        server.setDaemon(true);
        server.start();

        Map<String, String> env = new HashMap<>();
        env.put("HOME", Path.of("target", "no-home").toAbsolutePath().toString());
        BufferedReader lines = new BufferedReader(pipe);
        for (String line = lines.readLine(); line != null && !line.startsWith("# serving"); line = lines.readLine()) {
            if (line.startsWith("export ")) {
                String[] variable = line.substring("export ".length()).split("=", 2);
                env.put(variable[0], variable[1]);
            }
        }
        assertThat(env).containsKeys("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME");

        Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        StringWriter out = new StringWriter();
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "extract", "--from", yesterday.toString(), "--to", yesterday.plus(1, ChronoUnit.DAYS).toString(),
                "--all-projects");
        assertThat(code).isZero();
        assertThat(out.toString().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).contains("\"instance_id\""));
    }

    @Test
    void badMicroversionIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "sim", "--max-microversion", "two", "--for", "1s");
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString().lines()).hasSize(1);
    }
}

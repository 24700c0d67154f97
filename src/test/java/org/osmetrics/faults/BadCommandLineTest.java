package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * Bad input on the command line and in the configuration: each is one clear line on stderr with the exit code
 * of the contract (2 usage, 3 configuration), never a stack trace, and nothing is loaded.
 */
class BadCommandLineTest {
    private static SimServer sim;
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();

    @TempDir
    static Path files;

    @BeforeAll
    static void start() throws IOException {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(81, 1, 5, now.minus(Duration.ofDays(2)), now), Clock.systemUTC());
        Files.writeString(files.resolve("broken.yaml"), "clouds:\n  sim:\n    auth: [unclosed\n");
        Files.writeString(files.resolve("nokeys.yaml"), "clouds:\n  sim:\n    region_name: RegionOne\n");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @ParameterizedTest(name = "[{index}] {0} -> exit {1}")
    @CsvSource(delimiter = '|', value = {
        "extract --all-projects --from 2026-13-45 --to 2026-11-02                | 2 | 2026-13-45",
        "extract --all-projects --from yesterday --to today                      | 2 | yesterday",
        "extract --all-projects --from 2026-11-02 --to 2026-11-01                | 2 | before",
        "extract --all-projects --from 2999-01-01 --to 2999-01-02                | 2 | not in the past",
        "export --report no_such_report                                          | 2 | no_such_report",
        "export --report server_usage --from 2026-11-02 --to 2026-11-01          | 2 | --from",
        "run --window 7m                                                          | 2 | --window",
        "run --initial-lookback -1d                                               | 2 | lookback",
        "run --page-size 0                                                        | 2 | --page-size",
        "run --os-cloud sim --os-config-file FILES/broken.yaml                    | 3 | broken.yaml",
        "run --os-cloud sim --os-config-file FILES/nokeys.yaml                    | 3 | auth",
        "run --os-auth-url 127.0.0.1:5000/v3                                      | 3 | scheme",
        "run --os-cloud nosuchcloud --os-config-file FILES/nokeys.yaml            | 3 | nosuchcloud",
    })
    void badInputIsOneClearLineWithTheContractsExitCode(String commandLine, int exitCode, String named) {
        Map<String, String> env = new HashMap<>(FaultEnvironment.of(sim, db.test()));
        if (commandLine.contains("--os-")) {
            env.keySet().removeIf(name -> name.startsWith("OS_") && !name.startsWith("OS_METRICS_"));
        }
        String[] args = commandLine.replace("FILES", files.toString()).trim().split("\\s+");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);

        assertThat(code).as(err.toString()).isEqualTo(exitCode);
        assertThat(err.toString()).startsWith("os-metrics: ").contains(named).doesNotContain("\tat ")
                .doesNotContain("internal error");
        assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.usage_fact")).isZero();
    }
}

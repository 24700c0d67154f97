package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.load.RunLock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;

/** {@code os-metrics run} from the command line, against the simulated OpenStack and a real PostgreSQL. */
class RunCommandTest {
    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static SimServer sim;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(21, 3, 40, now.minus(Duration.ofDays(5)), now.plus(Duration.ofDays(1))),
                Clock.systemUTC());
        env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", test.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(env, args);
    }

    @Test
    void runPrintsOneSummaryLineAndRefusesAnotherGridOrAHeldLock() {
        CommandRun first = run("run", "--all-projects", "--initial-lookback", "30h");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).matches("(?s)run: \\d+ windows, [\\d,]+ servers, [\\d,]+ rows in [\\d.]+ s \\(all projects, "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:00Z\\.\\.\\d{4}-\\d\\d-\\d\\dT\\d\\d:00Z, last window provisional\\)\\n");
        assertThat(first.err()).doesNotContain(SimCredentials.ADMIN_PASSWORD);

        CommandRun otherGrid = run("run", "--all-projects", "--window", "1d");
        assertThat(otherGrid.exitCode()).isEqualTo(2);
        assertThat(otherGrid.err()).contains("--window 1h");

        String cloudKey = test.jdbi().withHandle(h -> h.createQuery("SELECT cloud_key FROM metrics.cloud")
                .mapTo(String.class).one());
        try (RunLock held = RunLock.acquire(test.database().dataSource(), cloudKey)) {
            CommandRun locked = run("run", "--all-projects");
            assertThat(locked.exitCode()).isEqualTo(6);
            assertThat(locked.err()).contains("another os-metrics run holds the lock for cloud " + cloudKey);
        }
        String arguments = test.jdbi().withHandle(h -> h.createQuery("SELECT string_agg(arguments, '|') FROM metrics.run")
                .mapTo(String.class).one());
        assertThat(arguments).contains("--all-projects").doesNotContain(SimCredentials.ADMIN_PASSWORD);
    }

    @Test
    void aProjectScopeAndAllProjectsTogetherAreBadUsage() {
        CommandRun both = run("run", "--project", "x", "--all-projects");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}

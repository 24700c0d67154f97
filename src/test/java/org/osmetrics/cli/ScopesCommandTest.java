package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimProject;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Scopes that come and go: a project given by name is resolved through Keystone (or refused), an admin's
 * first plain run of its empty project is told about --all-projects, and a forgotten scope no longer counts
 * for monitoring until it runs again.
 */
class ScopesCommandTest {
    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static SimServer sim;
    private static Map<String, String> env;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(31, 3, 30, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(1))),
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

    private static long ledgerRows(String scope) {
        return test.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.run WHERE scope = :scope")
                .bind("scope", scope).mapTo(Long.class).one());
    }

    @Test
    void aProjectGivenByNameIsLoadedUnderItsId() {
        SimProject project = sim.cloud().projects().get(1);

        CommandRun byName = run("run", "--project", project.name(), "--initial-lookback", "6h");

        assertThat(byName.exitCode()).as(byName.err()).isZero();
        assertThat(byName.out()).contains("project " + project.id());
        assertThat(ledgerRows(project.name())).isZero();
        assertThat(ledgerRows(project.id())).isEqualTo(1);
    }

    @Test
    void aProjectThatKeystoneDoesNotKnowIsRefusedWithoutARunOrAScope() {
        CommandRun unknown = run("run", "--project", "project-that-is-not-there");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("neither the id nor the name of a project");
        assertThat(ledgerRows("project-that-is-not-there")).isZero();
    }

    @Test
    void anEmptyProjectIsRefusedBeforeAnyDatabaseOrNetworkWork() {
        Map<String, String> nowhere = new HashMap<>(env);
        nowhere.put("OS_METRICS_DB_URL", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=30");
        nowhere.put("OS_AUTH_URL", "http://127.0.0.1:1/v3");

        CommandRun empty = CommandRun.of(nowhere, "run", "--project", "");

        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("--project").contains("empty value").doesNotContain("internal error");
    }

    @Test
    void anAdminsFirstPlainRunOfItsEmptyProjectSuggestsAllProjects() {
        CommandRun plain = run("run", "--initial-lookback", "3h");

        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("project " + SimCredentials.ADMIN_PROJECT_ID
                + " (the one the credentials are scoped to) has no usage").contains("--all-projects");
        CommandRun again = run("run");
        assertThat(again.out()).as("said once: on the scope's first run").doesNotContain("--all-projects");
    }

    @Test
    void aForgottenScopeNoLongerCountsForStalenessUntilItRunsAgain() throws Exception {
        try (TestDatabase own = TestDatabases.fresh()) {
            Map<String, String> saved = new HashMap<>(env);
            env.put("OS_METRICS_DB_URL", own.jdbcUrl());
            try {
                forgottenScopeScenario();
            } finally {
                env.clear();
                env.putAll(saved);
            }
        }
    }

    private void forgottenScopeScenario() throws Exception {
        String project = sim.cloud().projects().get(2).id();
        assertThat(run("run", "--project", project, "--initial-lookback", "3h").exitCode()).isZero();
        Thread.sleep(2_100);
        assertThat(run("run", "--all-projects", "--initial-lookback", "3h").exitCode()).isZero();
        Path metrics = dir.resolve("os_metrics.prom");

        CommandRun stale = run("status", "--quiet", "--fail-if-stale", "2s", "--metrics-file", metrics.toString());
        assertThat(stale.exitCode()).as(stale.err()).isEqualTo(4);
        assertThat(stale.err()).contains(project);

        CommandRun forget = run("scopes", "forget", project);
        assertThat(forget.exitCode()).as(forget.err()).isZero();
        CommandRun fresh = run("status", "--quiet", "--fail-if-stale", "1h", "--metrics-file", metrics.toString());
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(Files.readString(metrics)).contains("scope=\"*\"").doesNotContain("scope=\"" + project + "\"");
        assertThat(run("scopes", "list").out()).containsPattern(project + " .* no \\(forgotten ");

        assertThat(run("run", "--project", project).exitCode()).isZero();
        List<String> listed = run("scopes", "list").out().lines().filter(line -> line.contains(project)).toList();
        assertThat(listed).singleElement().asString().endsWith(" yes");
    }

    @Test
    void forgettingAScopeNoCloudHasIsBadUsage() {
        CommandRun unknown = run("scopes", "forget", "0123456789abcdef0123456789abcdef");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no scope 0123456789abcdef0123456789abcdef");
    }
}

package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SilentServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * An auth URL that does not behave like Keystone: a server that accepts and never answers, a port that refuses
 * connections, another service's JSON. Each ends the command promptly with one clear line: exit 4 within
 * {@code --read-timeout} plus {@code --retry-for} for a hung Keystone, exit 4 within seconds for a URL where
 * nothing has ever answered, exit 3 at once for an endpoint that is not Keystone.
 */
class KeystoneEndpointFaultTest {

    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    /** Bounds the wait for a command that would otherwise hang (the defect): far above any correct run. */
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final String NOVA_VERSIONS = "{\"versions\": [{\"id\": \"v2.1\", \"status\": \"CURRENT\", "
            + "\"version\": \"2.96\", \"min_version\": \"2.1\", \"updated\": \"2013-07-23T11:33:21Z\"}]}";

    private static SimServer sim;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimCloud.generate(5, 2, 10, DAY, DAY.plus(1, ChronoUnit.DAYS)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clear();
        sim.clearRequests();
    }

    /** The simulator's admin login, at another auth URL. */
    private static Map<String, String> loginAt(String authUrl) {
        Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_AUTH_URL", authUrl);
        return env;
    }

    private static CommandRun extract(Map<String, String> env, String... options) {
        List<String> args = new ArrayList<>(List.of("extract", "--all-projects", "--from", DAY.toString(), "--to",
                DAY.plus(1, ChronoUnit.DAYS).toString()));
        args.addAll(List.of(options));
        return assertTimeoutPreemptively(HANG, () -> CommandRun.of(env, args.toArray(String[]::new)));
    }

    private static long tokenRequests() {
        return sim.requests().stream().filter(r -> r.pathAndQuery().endsWith("/auth/tokens")).count();
    }

    private static void assertOneLine(CommandRun run, int exitCode) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.errLines()).as(run.err()).singleElement().asString()
                .doesNotContain("Exception").doesNotContain("openstack4j").doesNotContain("\tat ");
    }

    @Test
    void aKeystoneThatAcceptsAndNeverAnswersEndsTheRunWithExitFourWithinTheReadTimeoutAndRetryBound() {
        try (SilentServer keystone = SilentServer.start(); TestDatabase db = TestDatabases.fresh()) {
            Map<String, String> env = loginAt(keystone.url() + "/v3");
            env.put("OS_METRICS_DB_URL", db.jdbcUrl());

            CommandRun run = assertTimeoutPreemptively(HANG, () -> CommandRun.of(env, "run", "--all-projects",
                    "--read-timeout", "1s", "--retry-for", "2s"));

            assertOneLine(run, 4);
            assertThat(run.err()).contains("Keystone login (POST " + keystone.url() + "/v3/auth/tokens)")
                    .contains("no answer within the read timeout of 1 s")
                    .contains("retries are bounded by --retry-for 2 s");
            assertThat(keystone.connections()).as("the login was retried").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aRefusedConnectionAtTheFirstLoginGivesUpWithinSecondsNamingTheUrl() {
        String origin = "http://127.0.0.1:" + SilentServer.refusedPort();

        CommandRun run = extract(loginAt(origin + "/v3")); // the default --retry-for of 2 minutes

        assertOneLine(run, 4);
        assertThat(run.err()).contains("Keystone login (POST " + origin + "/v3/auth/tokens): cannot connect to "
                + origin + " (connection refused").contains("nothing has answered there in this run (given up after 5 s");
    }

    @Test
    void anAuthUrlPointingAtNovaIsAConfigurationErrorAtOnce() {
        String nova = sim.computeUrl().replace("/v2.1", ""); // what Nova answers there: 404 itemNotFound

        CommandRun run = extract(loginAt(nova));

        assertOneLine(run, 3);
        assertThat(run.err()).contains(nova + "/v3 does not look like a Keystone v3 identity endpoint")
                .contains("HTTP 404").contains("itemNotFound");
        assertThat(tokenRequests()).as("not retried").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 300})
    void anAuthUrlAnsweringAnotherServicesJsonIsAConfigurationErrorAtOnce(int status) {
        sim.faults().answerKeystoneAsAnotherService(status, NOVA_VERSIONS);

        CommandRun run = extract(SimulatorLogins.admin(sim), "--retry-for", "30s");

        assertOneLine(run, 3);
        assertThat(run.err()).contains(sim.authUrl() + " does not look like a Keystone v3 identity endpoint")
                .contains("HTTP " + status).contains("versions").contains("no X-Subject-Token");
        assertThat(tokenRequests()).as("not retried").isEqualTo(1);
    }

    @Test
    void anApplicationCredentialLoginAnsweredByAnotherServiceIsAConfigurationErrorToo() {
        sim.faults().answerKeystoneAsAnotherService(200, NOVA_VERSIONS);

        CommandRun run = extract(SimulatorLogins.applicationCredential(sim));

        assertOneLine(run, 3);
        assertThat(run.err()).contains("does not look like a Keystone v3 identity endpoint");
    }
}

package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;

/** {@code os-metrics extract} in-process against the simulator, as a user runs it. */
class ExtractCommandTest {

    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    private static SimServer sim;

    @BeforeAll
    static void startSimulator() {
        sim = SimServer.start(SimCloud.generate(11, 3, 60, DAY, DAY.plus(1, ChronoUnit.DAYS)), Clock.systemUTC());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static CommandRun run(Map<String, String> env, String... args) {
        return CommandRun.of(env, args);
    }

    private static Map<String, String> openrc(String authUrl, String password) {
        Map<String, String> env = SimulatorLogins.admin(sim);
        env.put("OS_AUTH_URL", authUrl);
        env.put("OS_PASSWORD", password);
        return env;
    }

    @Test
    void printsOneJsonLinePerServerWithNovasFieldNamesAndTheRange() throws Exception {
        CommandRun run = run(openrc(sim.authUrl(), SimCredentials.ADMIN_PASSWORD), "extract", "--from", DAY.toString(),
                "--to", DAY.plus(1, ChronoUnit.DAYS).toString(), "--all-projects", "--call-span", "12h");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).isNotEmpty();
        List<String> names = new ArrayList<>();
        lines.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("instance_id", "tenant_id", "name", "hours", "flavor", "vcpus", "memory_mb",
                "local_gb", "started_at", "ended_at", "state", "uptime", "range_start", "range_end");
        assertThat(lines).extracting(l -> l.get("range_start").asText())
                .containsOnly(DAY.toString(), DAY.plus(12, ChronoUnit.HOURS).toString());
        assertThat(lines.get(0).get("started_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(run.errLines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("microversion 2.40"));
        CommandRun quiet = run(openrc(sim.authUrl(), SimCredentials.ADMIN_PASSWORD), "extract", "--from", DAY.toString(),
                "--to", DAY.plus(1, ChronoUnit.DAYS).toString(), "--all-projects", "--call-span", "12h", "--quiet");
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.out().lines().count()).as("the same servers (uptime moves with now)").isEqualTo(lines.size());
        assertThat(quiet.err()).as("--quiet: no summary lines").isEmpty();
    }

    @Test
    void aWrongPasswordExits3WithOneLineAndNoSecret() {
        String wrong = "wrong-Pa55word-xyz";
        CommandRun run = run(openrc(sim.authUrl(), wrong), "extract", "--from", DAY.toString(), "--to",
                DAY.plus(1, ChronoUnit.DAYS).toString(), "--debug");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).doesNotContain(wrong).contains("401");
        CommandRun quiet = run(openrc(sim.authUrl(), wrong), "extract", "--from", DAY.toString(), "--to",
                DAY.plus(1, ChronoUnit.DAYS).toString());
        assertThat(quiet.exitCode()).isEqualTo(3);
        assertThat(quiet.errLines()).hasSize(1);
        assertThat(quiet.err()).doesNotContain(wrong).contains("rejected the credentials");
    }

    @Test
    void anAuthUrlWithAWrongPathSaysTheAuthUrlIsWrongNotTheProject() {
        String wrongPath = sim.authUrl().replace("/identity/v3", "/keystone/v3");
        assertThat(wrongPath).isNotEqualTo(sim.authUrl());
        Map<String, String> password = openrc(wrongPath, SimCredentials.ADMIN_PASSWORD);
        Map<String, String> applicationCredential = SimulatorLogins.applicationCredential(sim);
        applicationCredential.put("OS_AUTH_URL", wrongPath);

        for (Map<String, String> env : List.of(password, applicationCredential)) {
            CommandRun run = run(env, "extract", "--from", DAY.toString(), "--to", DAY.plus(1, ChronoUnit.DAYS).toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains("the auth URL is wrong", "HTTP 404", "OS_AUTH_URL").doesNotContain("role on it");
        }
    }

    @Test
    void anUnreachableEndpointExits4WithinTheRetryBound() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CommandRun run = run(openrc("http://127.0.0.1:" + port + "/identity/v3", "whatever-secret"), "extract",
                "--from", DAY.toString(), "--to", DAY.plus(1, ChronoUnit.DAYS).toString(), "--retry-for", "2s",
                "--connect-timeout", "1s");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err().lines().filter(l -> l.startsWith("os-metrics:"))).hasSize(1);
        assertThat(run.err()).contains("127.0.0.1:" + port).contains("--retry-for").doesNotContain("whatever-secret");
    }

    @Test
    void aFromInTheFutureIsBadUsage() {
        CommandRun run = run(openrc(sim.authUrl(), SimCredentials.ADMIN_PASSWORD), "extract", "--from", "2999-01-01",
                "--to", "2999-01-02");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(sim.usageRequests().stream().filter(r -> r.pathAndQuery().contains("2999"))).isEmpty();
    }
}

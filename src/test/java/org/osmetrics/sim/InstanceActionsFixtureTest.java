package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator, given the history of the recorded server (create, stop, start, a failed start, stop), answers
 * the instance-action and changed-server requests of {@code ../shared/fixtures/nova/instance-actions} with the
 * very JSON Nova 26.2.2 answered (same keys in the same order, same values; only the host of the links differs).
 */
class InstanceActionsFixtureTest {
    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "nova", "instance-actions");
    static final String PROJECT = "0f1a2b3c4d5e4f60a1b2c3d4e5f60001";
    static final String USER = "5a1d66d1eaac4480b5e1c85e5fe17cb8";
    static final String SERVER = "fb917af4-758f-5769-85b3-7a5affd778c9";
    private static final SimFlavor TINY = new SimFlavor("m1.tiny", 1, 512, 1, 0);

    private static SimServer sim;
    private static SimClient client;
    private static String admin;

    /** The recorded server's history, as the fixtures' README tells it. */
    static SimCloud recordedCloud() {
        String host = "compute-07";
        return SimCloud.builder()
                .project(PROJECT, "recorded")
                .instance(new SimInstance("13275c9e-b5d4-5ad6-a216-b64e2a4580ce", "fin-late-01", PROJECT, TINY,
                        Instant.parse("2026-10-09T10:00:00Z"), null, "active"))
                .instance(new SimInstance("49f49791-e2f0-57fa-8bc9-cdb2894a55fc", "phys-sim-01", PROJECT, TINY,
                        Instant.parse("2026-10-01T10:00:00Z"), Instant.parse("2026-10-09T12:00:00Z"), "deleted"))
                .instance(new SimInstance("0a000000-0000-4000-8000-000000000000", "untouched", PROJECT, TINY,
                        Instant.parse("2026-09-01T10:00:00Z"), null, "active"))
                .instance(new SimInstance(SERVER, "recorded", PROJECT, TINY,
                        Instant.parse("2026-09-10T00:00:00Z"), null, "stopped"))
                .action(new SimAction(SERVER, "req-cba7d1f0-8b8e-591e-a7d2-702ce2be0d65", "create", USER, PROJECT,
                        Instant.parse("2026-09-09T23:58:00Z"), List.of(SimEvent.success(
                                "compute__do_build_and_run_instance", Instant.parse("2026-09-09T23:58:05Z"),
                                Instant.parse("2026-09-10T00:00:00Z"), host))))
                .action(new SimAction(SERVER, "req-f8176192-9917-5483-8374-d46b483c24fe", "stop", USER, PROJECT,
                        Instant.parse("2026-09-20T12:00:00Z"), List.of(SimEvent.success("compute_stop_instance",
                                Instant.parse("2026-09-20T12:00:01Z"), Instant.parse("2026-09-20T12:00:05Z"), host))))
                .action(new SimAction(SERVER, "req-6e0d05e7-9962-5efd-8ecb-8ed4f6206a32", "start", USER, PROJECT,
                        Instant.parse("2026-10-03T08:00:00Z"), List.of(SimEvent.success("compute_start_instance",
                                Instant.parse("2026-10-03T08:00:01Z"), Instant.parse("2026-10-03T08:00:04Z"), host))))
                .action(new SimAction(SERVER, "req-1fd20223-34b1-5d0a-a461-2dc33b075189", "start", USER, PROJECT,
                        Instant.parse("2026-10-08T09:00:00Z"), List.of(new SimEvent("compute_start_instance",
                                Instant.parse("2026-10-08T09:00:01Z"), Instant.parse("2026-10-08T09:00:02Z"), "Error",
                                host))))
                .action(new SimAction(SERVER, "req-d021d9c9-846b-59a8-872e-c167a1d482d6", "stop", USER, PROJECT,
                        Instant.parse("2026-10-10T00:00:00Z"), List.of(SimEvent.success("compute_stop_instance",
                                Instant.parse("2026-10-10T00:00:01Z"), Instant.parse("2026-10-10T00:00:06Z"), host))))
                .build();
    }

    @BeforeAll
    static void start() {
        sim = SimServer.start(recordedCloud(), new SimClock(Instant.parse("2026-10-11T00:00:00Z")));
        client = new SimClient(sim);
        admin = client.adminToken();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.1", "2.21", "2.51", "2.58", "2.62", "2.84"})
    void theActionListAtEachMicroversionIsTheRecordedOne(String microversion) throws IOException {
        assertSame("list_v" + microversion + ".json",
                client.get(actionsUrl(""), admin, microversion));
    }

    @Test
    void aLimitedListLinksToItsNextPageAndChangesSinceFiltersOnUpdatedAt() throws IOException {
        assertSame("list_v2.84_limit2.json", client.get(actionsUrl("?limit=2"), admin, "2.84"));
        assertSame("list_v2.84_changes_since.json",
                client.get(actionsUrl("?changes-since=2026-10-05T00:00:00Z"), admin, "2.84"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.1", "2.51", "2.62", "2.84"})
    void anActionWithItsEventsIsTheRecordedOne(String microversion) throws IOException {
        assertSame("show_stop_v" + microversion + ".json",
                client.get(actionsUrl("/req-d021d9c9-846b-59a8-872e-c167a1d482d6"), admin, microversion));
        assertSame("show_failed_start_v" + microversion + ".json",
                client.get(actionsUrl("/req-1fd20223-34b1-5d0a-a461-2dc33b075189"), admin, microversion));
    }

    @Test
    void theChangedServersListIsTheRecordedOneWithDeletedServersAndPaging() throws IOException {
        assertSame("servers_changes_since_limit2.json", client.get(sim.computeUrl()
                + "/servers?all_tenants=1&changes-since=2026-10-09T00:00:00Z&limit=2", admin, "2.84"));
    }

    @Test
    void anUnknownServerAnswersTheRecorded404() throws IOException {
        SimClient.Response response = client.get(sim.computeUrl() + "/servers/xyz-not-there/os-instance-actions",
                admin, "2.84");
        assertThat(response.status()).isEqualTo(404);
        assertSame("list_unknown_server_404.json", response);
    }

    private static String actionsUrl(String rest) {
        return sim.computeUrl() + "/servers/" + SERVER + "/os-instance-actions" + rest;
    }

    private static void assertSame(String fixture, SimClient.Response response) throws IOException {
        Path file = FIXTURES.resolve(fixture);
        Assumptions.assumeTrue(Files.isRegularFile(file), "../shared/fixtures is absent (not in a user's clone)");
        String simBody = response.body()
                .replace(sim.computeUrl(), "http://127.0.0.1:8774/v2.1")
                .replace(sim.computeUrl().replace("/v2.1", ""), "http://127.0.0.1:8774");
        JsonNode expected = SimClient.JSON.readTree(Files.readString(file));
        JsonNode actual = SimClient.JSON.readTree(simBody);
        assertThat(actual).as(fixture).isEqualTo(expected);
        assertThat(actual.toString()).as(fixture + " (key order)").isEqualTo(expected.toString());
    }
}

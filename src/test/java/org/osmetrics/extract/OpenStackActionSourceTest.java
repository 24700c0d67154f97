package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.sim.InstanceActionsFixtureTest;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;

/**
 * The action client against the simulated Nova over real HTTP: paging and changes-since from 2.58, the unpaged
 * list below, events of state actions only once, 404 for a server Nova does not know (or a deleted one below 2.21).
 */
class OpenStackActionSourceTest {
    private static final String SERVER = InstanceActionsFixtureTest.SERVER;
    private static final String DELETED = "49f49791-e2f0-57fa-8bc9-cdb2894a55fc";
    private SimServer sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private ActionSource actions(String maxMicroversion) {
        SimClock clock = new SimClock(Instant.parse("2026-10-11T00:00:00Z"));
        sim = SimServer.start(InstanceActionsFixtureTest.recordedCloud(), clock);
        sim.setMaxMicroversion(maxMicroversion);
        ClientTuning tuning = new ClientTuning(2, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        OpenStackUsageSource source = OpenStackUsageSource.connect(OpenStackSettingsLoader.load(
                Map.<OpenStackSetting, String>of(), SimulatorLogins.admin(sim), tuning), clock);
        sim.resetCalls();
        return source.actions().orElseThrow();
    }

    @Test
    void fromMicroversion258TheListIsReadPageByPageAndTheEventsOfEachStateAction() {
        ActionSource source = actions("2.96");
        ServerActions read = source.serverActions(SERVER, null, ActionSource.KnownActions.NONE);

        assertThat(source.actionMicroversion()).isEqualTo("2.58");
        assertThat(read.unknownToNova()).isFalse();
        assertThat(read.actions()).extracting(InstanceAction::action)
                .containsExactly("create", "stop", "start", "start", "stop");
        assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).as("5 actions in pages of 2").isEqualTo(3);
        assertThat(sim.calls(SimServer.Endpoint.ACTION)).isEqualTo(5);
        InstanceAction failed = read.actions().get(3);
        assertThat(failed.message()).isEqualTo("Error");
        assertThat(failed.updatedAt()).isEqualTo("2026-10-08T09:00:02Z");
        assertThat(failed.events()).singleElement().satisfies(event -> {
            assertThat(event.failed()).isTrue();
            assertThat(event.finishTime()).isEqualTo("2026-10-08T09:00:02Z");
        });
        assertThat(read.actions()).allSatisfy(action -> assertThat(action.eventsRead()).isTrue());
    }

    @Test
    void changesSinceAsksOnlyForActionsUpdatedSinceAndKnownEventsAreNotAskedAgain() {
        ActionSource source = actions("2.96");
        ServerActions read = source.serverActions(SERVER, Instant.parse("2026-10-05T00:00:00Z"), requestId -> true);

        assertThat(read.actions()).extracting(InstanceAction::requestId)
                .containsExactly("req-1fd20223-34b1-5d0a-a461-2dc33b075189", "req-d021d9c9-846b-59a8-872e-c167a1d482d6");
        assertThat(read.actions()).allSatisfy(action -> assertThat(action.eventsRead()).isFalse());
        // a full page of 2 has a next link, as Nova gives it: the second page is empty
        assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).isEqualTo(2);
        assertThat(sim.calls(SimServer.Endpoint.ACTION)).isZero();
    }

    @Test
    void belowMicroversion258TheWholeListComesInOneUnpagedCallWithoutUpdatedAt() {
        ActionSource source = actions("2.51");
        ServerActions read = source.serverActions(SERVER, Instant.parse("2026-10-05T00:00:00Z"),
                ActionSource.KnownActions.NONE);

        assertThat(source.pagedActions()).isFalse();
        assertThat(read.actions()).hasSize(5).allSatisfy(action -> assertThat(action.updatedAt()).isNull());
        assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).isEqualTo(1);
    }

    @Test
    void aServerNovaDoesNotKnowAndADeletedOneBelow221AreUnknownToNova() {
        ActionSource source = actions("2.20");
        assertThat(source.serverActions("0b000000-0000-4000-8000-000000000000", null, ActionSource.KnownActions.NONE)
                .unknownToNova()).isTrue();
        assertThat(source.serverActions(DELETED, null, ActionSource.KnownActions.NONE).unknownToNova()).isTrue();
    }

    @Test
    void theChangedServersAreListedPageByPageDeletedOnesIncluded() {
        ActionSource source = actions("2.96");
        assertThat(source.changedServers(Scope.allProjects(), Instant.parse("2026-10-09T00:00:00Z")))
                .extracting(ChangedServer::instanceId)
                .containsExactly("13275c9e-b5d4-5ad6-a216-b64e2a4580ce", DELETED, SERVER);
        assertThat(sim.calls(SimServer.Endpoint.SERVERS)).as("pages of 2").isEqualTo(2);
    }
}

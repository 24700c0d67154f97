package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.ActionSource;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.sim.SimAction;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimEvent;
import org.osmetrics.sim.SimInstance;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.pipeline.CatchUp;

/**
 * Timelines read by {@code run} and {@code backfill} over real HTTP from the simulated Nova, counted by the
 * simulator: a run asks only for what changed since the previous one, a backfill reads each listed server once.
 */
class TimelineExtractionTest {
    /** The generated histories all lie before the first run: the cloud is quiet until the test changes it. */
    private static final Instant GENERATED_FROM = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant GENERATED_TO = Instant.parse("2026-10-15T00:00:00Z");
    private static final Instant FIRST_RUN = Instant.parse("2027-01-10T09:30:00Z");
    private static final WindowGrid DAILY = new WindowGrid(Duration.ofDays(1));
    private static final int PAGE = 1000;

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;
    private SimServer sim;
    private SimClock clock;
    private String cloudKey;
    private final List<List<ServerActions>> handed = new ArrayList<>();

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
    }

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private OpenStackUsageSource source(SimCloud cloud) {
        clock = new SimClock(FIRST_RUN);
        sim = SimServer.start(cloud, clock);
        OpenStackUsageSource source = source(sim);
        cloudKey = source.cloudKey();
        return source;
    }

    private OpenStackUsageSource source(SimServer server) {
        Map<String, String> env = SimulatorLogins.admin(server);
        ClientTuning tuning = new ClientTuning(PAGE, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return OpenStackUsageSource.connect(OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), env, tuning),
                clock);
    }

    private CatchUp.Summary run(OpenStackUsageSource source) {
        CatchUp.Request request = new CatchUp.Request("run", "--all-projects", ScopeChoice.allProjects(), DAILY,
                Duration.ofDays(1), Duration.ofDays(2), false, false, true);
        return new CatchUp(test.database(), clock, new org.osmetrics.Cancellation(), (cloud, runId, servers, asOf) -> handed.add(servers))
                .run(source, request, range -> { });
    }

    private long actionCalls() {
        return sim.calls(SimServer.Endpoint.ACTIONS) + sim.calls(SimServer.Endpoint.ACTION);
    }

    /** Active servers launched before the first run, alive, with at least one action: those the test changes. */
    private static List<SimInstance> changeable(SimCloud cloud, int count) {
        List<SimInstance> chosen = new ArrayList<>();
        for (SimInstance instance : cloud.instances()) {
            if (chosen.size() < count && "active".equals(instance.vmState()) && instance.terminatedAt() == null
                    && instance.launchedAt() != null && !cloud.actions(instance.uuid()).isEmpty()) {
                chosen.add(instance);
            }
        }
        return chosen;
    }

    /** A reboot of each server, asked at {@code at} and finished 7 seconds later. */
    private static List<SimAction> reboots(List<SimInstance> servers, Instant at) {
        List<SimAction> actions = new ArrayList<>();
        for (SimInstance server : servers) {
            actions.add(new SimAction(server.uuid(), "req-" + UUID.nameUUIDFromBytes(server.uuid().getBytes()), "reboot",
                    "5a1d66d1eaac4480b5e1c85e5fe17cb8", server.projectId(), at, List.of(SimEvent.success(
                            "compute_reboot_instance", at.plusSeconds(1), at.plusSeconds(7), "compute-01"))));
        }
        return actions;
    }

    /**
     * What an earlier run read of the simulated cloud: every action of it as Nova shows it at {@code FIRST_RUN}
     * (events of the state actions), and the scope's next changes-since at {@code FIRST_RUN} (Nova's clock then).
     */
    private void primeAsIfRunBefore(OpenStackUsageSource source, SimCloud cloud) {
        Cloud stored = new CloudRepository(jdbi).resolve(source.cloudKey(), DAILY);
        List<ServerActions> servers = new ArrayList<>();
        for (SimInstance instance : cloud.instances()) {
            List<InstanceAction> actions = new ArrayList<>();
            for (SimAction action : cloud.actions(instance.uuid())) {
                List<ActionEvent> events = action.events().stream()
                        .map(e -> new ActionEvent(e.name(), e.start(), e.finish(), e.finish() == null ? null : e.result()))
                        .toList();
                Instant updated = action.events().stream().map(e -> e.finish() == null ? e.start() : e.finish())
                        .max(Instant::compareTo).orElse(action.start());
                String message = events.stream().anyMatch(ActionEvent::failed) ? "Error" : null;
                boolean state = ActionSource.STATE_ACTIONS.contains(action.action());
                actions.add(new InstanceAction(instance.uuid(), action.requestId(), action.action(), action.projectId(),
                        action.userId(), action.start(), updated, message, state ? events : List.of(), state));
            }
            servers.add(new ServerActions(instance.uuid(), actions, false));
        }
        ActionStore store = new ActionStore(jdbi);
        store.store(stored, servers, FIRST_RUN);
        store.recordSuccess(stored, "*", FIRST_RUN, FIRST_RUN, servers.size());
    }

    @Test
    void aRunOverTenThousandServersOfWhichAHundredChangedMakesTwoActionCallsEachAndASecondRunNone() {
        SimCloud quiet = SimCloud.generate(15, 40, 10_000, GENERATED_FROM, GENERATED_TO);
        try (OpenStackUsageSource source = source(quiet)) {
            primeAsIfRunBefore(source, quiet);
            List<SimInstance> changed = changeable(quiet, 100);
            assertThat(changed).hasSize(100);
            sim.replaceCloud(quiet.withActions(reboots(changed, FIRST_RUN.plus(Duration.ofHours(1)))));
            clock.advance(Duration.ofHours(6));
            sim.resetCalls();
            CatchUp.Summary second = run(source);

            assertThat(second.timelines().listed()).as("exactly the changed servers are listed").isEqualTo(100);
            assertThat(sim.calls(SimServer.Endpoint.SERVERS)).as("one listing page").isEqualTo(1);
            assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).as("one action list per changed server").isEqualTo(100);
            assertThat(sim.calls(SimServer.Endpoint.ACTION)).as("the events of the one new action").isEqualTo(100);
            assertThat(actionCalls()).isLessThanOrEqualTo(2L * changed.size());
            // the timeline model gets each changed server's whole history: the stored past and the new reboot
            Set<String> changedIds = new HashSet<>(changed.stream().map(SimInstance::uuid).toList());
            List<ServerActions> histories = handed.stream().flatMap(List::stream).toList();
            assertThat(histories).extracting(ServerActions::instanceId).containsExactlyInAnyOrderElementsOf(changedIds);
            for (ServerActions history : histories) {
                assertThat(history.actions()).hasSize(quiet.actions(history.instanceId()).size() + 1);
                InstanceAction last = history.actions().get(history.actions().size() - 1);
                assertThat(last.action()).isEqualTo("reboot");
                assertThat(last.eventsRead()).isTrue();
                assertThat(last.events()).singleElement().satisfies(e -> assertThat(e.finishTime())
                        .isEqualTo(FIRST_RUN.plus(Duration.ofHours(1)).plusSeconds(7)));
                assertThat(history.actions().get(0).action()).isEqualTo("create");
            }

            clock.advance(Duration.ofHours(6));
            sim.resetCalls();
            handed.clear();
            CatchUp.Summary third = run(source);
            assertThat(third.timelines().listed()).isZero();
            assertThat(actionCalls()).as("nothing changed: no action call").isZero();
            assertThat(sim.calls(SimServer.Endpoint.SERVERS)).isEqualTo(1);
            assertThat(handed).as("the model hears of the check (freshness), with no server").containsExactly(List.of());
        }
    }

    @Test
    void theFirstRunReadsEveryServerWholeAndTheNextOnlyWhatChanged() {
        SimCloud quiet = SimCloud.generate(16, 5, 300, GENERATED_FROM, GENERATED_TO);
        long stateActions = quiet.actions().stream().filter(a -> ActionSource.STATE_ACTIONS.contains(a.action())).count();
        try (OpenStackUsageSource source = source(quiet)) {
            CatchUp.Summary first = run(source);

            assertThat(first.timelines().listed()).as("every server Nova knows, deleted ones included").isEqualTo(300);
            assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).isEqualTo(300);
            assertThat(sim.calls(SimServer.Endpoint.ACTION)).as("events of the state actions only")
                    .isEqualTo(stateActions).isLessThan(quiet.actions().size());
            assertThat(count("SELECT count(*) FROM metrics.instance_action WHERE cloud_id = :cloud")).isEqualTo(quiet.actions().size());

            List<SimInstance> changed = changeable(quiet, 3);
            sim.replaceCloud(quiet.withActions(reboots(changed, FIRST_RUN.plus(Duration.ofHours(2)))));
            clock.advance(Duration.ofDays(1));
            sim.resetCalls();
            CatchUp.Summary second = run(source);
            assertThat(second.timelines().listed()).isEqualTo(3);
            assertThat(actionCalls()).isEqualTo(6);
            assertThat(count("SELECT count(*) FROM metrics.instance_action WHERE cloud_id = :cloud")).isEqualTo(quiet.actions().size() + 3);
        }
    }

    @Test
    void aBackfillReadsEachListedServersWholeActionListOnceWhateverTheChunks() {
        SimCloud quiet = SimCloud.generate(17, 5, 200, GENERATED_FROM, GENERATED_TO);
        try (OpenStackUsageSource ignored = source(quiet)) {
            Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(), GENERATED_FROM,
                    GENERATED_TO, DAILY, Duration.ofDays(1), 3, false, false, false, false, true);
            Backfill.Summary summary = new Backfill(test.database(), clock, new org.osmetrics.Cancellation(),
                    (cloud, runId, servers, asOf) -> handed.add(servers)).run(() -> source(sim), request, new Backfill.Listener() { });

            assertThat(summary.chunks()).isEqualTo(14);
            long listedByUsage = count("SELECT count(DISTINCT instance_id) FROM metrics.usage_fact WHERE cloud_id = :cloud");
            assertThat(summary.timelines().read()).isEqualTo(listedByUsage);
            assertThat(sim.calls(SimServer.Endpoint.ACTIONS)).as("one whole list per listed server, not per chunk")
                    .isEqualTo(listedByUsage);
            assertThat(handed.stream().flatMap(List::stream).map(ServerActions::instanceId).distinct().count())
                    .isEqualTo(listedByUsage);
        }
    }

    @Test
    void aBackfillUpToNowLetsTheNextRunAskOnlyForWhatChangedSince() {
        SimCloud quiet = SimCloud.generate(19, 4, 150, GENERATED_FROM, GENERATED_TO);
        try (OpenStackUsageSource source = source(quiet)) {
            Backfill.Request request = new Backfill.Request("test", ScopeChoice.allProjects(),
                    FIRST_RUN.minus(Duration.ofDays(3)), FIRST_RUN.plus(Duration.ofDays(1)), DAILY, Duration.ofDays(1), 2,
                    false, false, false, false, true);
            Backfill.Summary backfill = new Backfill(test.database(), clock, new org.osmetrics.Cancellation(),
                    (cloud, runId, servers, asOf) -> handed.add(servers)).run(() -> source(sim), request,
                    new Backfill.Listener() { });
            assertThat(backfill.provisional()).isTrue();
            assertThat(backfill.timelines().read()).isPositive();

            clock.advance(Duration.ofHours(6));
            sim.resetCalls();
            CatchUp.Summary next = run(source);
            assertThat(next.timelines().listed()).as("nothing changed since the backfill read the open window").isZero();
            assertThat(actionCalls()).isZero();
        }
    }

    @Test
    void credentialsWithoutTheRightAreWarnedOnceAndTheRefusalIsRemembered() {
        SimCloud quiet = SimCloud.generate(18, 3, 50, GENERATED_FROM, GENERATED_TO);
        try (OpenStackUsageSource source = source(quiet)) {
            sim.setInstanceActionsForbidden(true);
            CatchUp.Summary first = run(source);
            assertThat(first.timelines().skipped()).isTrue();
            assertThat(first.timelines().warning()).contains("HTTP 403").contains("said once");
            assertThat(first.rows()).as("the usage is loaded as before").isPositive();

            clock.advance(Duration.ofHours(1));
            sim.resetCalls();
            CatchUp.Summary second = run(source);
            assertThat(second.timelines().skipped()).isTrue();
            assertThat(second.timelines().warning()).as("not said again").isNull();
            assertThat(sim.calls(SimServer.Endpoint.SERVERS) + actionCalls()).as("not asked again within a day").isZero();
            assertThat(count("SELECT count(*) FROM metrics.timeline_extraction WHERE cloud_id = :cloud AND no_right_since IS NOT NULL"))
                    .isEqualTo(1);

            sim.setInstanceActionsForbidden(false);
            clock.advance(Duration.ofDays(1));
            CatchUp.Summary granted = run(source);
            assertThat(granted.timelines().skipped()).as("asked again after a day: now granted").isFalse();
            assertThat(count("SELECT count(*) FROM metrics.timeline_extraction WHERE cloud_id = :cloud AND no_right_since IS NOT NULL"))
                    .isZero();
        }
    }

    /** A count over this test's cloud only ({@code :cloud} in the SQL): the database is shared by the tests. */
    private long count(String sql) {
        int cloud = new CloudRepository(jdbi).find(cloudKey).orElseThrow().cloudId();
        return jdbi.withHandle(h -> h.createQuery(sql).bind("cloud", cloud).mapTo(Long.class).one());
    }
}

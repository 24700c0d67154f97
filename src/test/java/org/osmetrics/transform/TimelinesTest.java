package org.osmetrics.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.transform.KnownServer.KnownFlavor;

/** Actions to timelines, each expectation computed by hand from the rules of the reference on instance actions. */
class TimelinesTest {
    static final String ID = "fb917af4-758f-5769-85b3-7a5affd778c9";
    static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "nova", "instance-actions");

    static Instant t(String text) {
        return Instant.parse(text);
    }

    /** An action whose single event ran from start+1 s to finish with the result. */
    static InstanceAction action(String name, String start, String finish, String result) {
        Instant asked = t(start);
        List<ActionEvent> events = List.of(new ActionEvent("compute_" + name, asked.plusSeconds(1),
                finish == null ? null : t(finish), finish == null ? null : result));
        return new InstanceAction(ID, "req-" + name + "-" + start, name, "p-1", "u-1", asked, null,
                "Error".equals(result) ? "Error" : null, events, true);
    }

    static InstanceAction withEvent(String name, String event, String start, String finish) {
        return new InstanceAction(ID, "req-" + name + "-" + start, name, "p-1", "u-1", t(start), null, null,
                List.of(new ActionEvent(event, t(start).plusSeconds(1), t(finish), "Success")), true);
    }

    /** An action whose events were not read: its change at its start time. */
    static InstanceAction unread(String name, String start) {
        return new InstanceAction(ID, "req-" + name + "-" + start, name, "p-1", "u-1", t(start), null, null, List.of(), false);
    }

    static KnownServer known(String state, KnownFlavor... flavors) {
        return new KnownServer(ID, "p-1", state, null, null, List.of(flavors), AS_OF);
    }

    static KnownFlavor flavor(String since, String name) {
        return new KnownFlavor(t(since), name);
    }

    static StateInterval interval(String from, String to, String state, String flavor) {
        return new StateInterval(t(from), to == null ? null : t(to), state, flavor, null);
    }

    static ServerTimeline build(KnownServer known, InstanceAction... actions) {
        return Timelines.build(new ServerActions(ID, List.of(actions), false), known);
    }

    static List<StateInterval> withoutAssumptions(ServerTimeline timeline) {
        return timeline.intervals().stream()
                .map(i -> new StateInterval(i.from(), i.to(), i.vmState(), i.flavorName(), null)).toList();
    }

    // ---- the fixture's server: create, stop, start, failed start, stop ----

    @Test
    void theRecordedServerIsActiveStoppedActiveThenStoppedAndItsFailedStartChangesNothing() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FIXTURES), "../shared/fixtures is absent (not in a user's clone)");
        ObjectMapper json = new ObjectMapper();
        List<InstanceAction> actions = new ArrayList<>();
        for (JsonNode node : json.readTree(FIXTURES.resolve("list_v2.84.json").toFile()).get("instanceActions")) {
            actions.add(0, fromJson(node, null)); // newest first in Nova's answer
        }
        JsonNode stop = json.readTree(FIXTURES.resolve("show_stop_v2.84.json").toFile()).get("instanceAction");
        JsonNode failed = json.readTree(FIXTURES.resolve("show_failed_start_v2.84.json").toFile()).get("instanceAction");
        for (JsonNode shown : List.of(stop, failed)) {
            actions.replaceAll(a -> a.requestId().equals(shown.get("request_id").asText()) ? fromJson(shown, shown.get("events")) : a);
        }

        ServerTimeline timeline = Timelines.build(new ServerActions(ID, actions, false),
                known("stopped", flavor("2026-09-09T23:58:00Z", "m1.tiny")));

        assertThat(timeline.intervals()).containsExactly(
                interval("2026-09-09T23:58:00Z", "2026-09-20T12:00:00Z", "active", "m1.tiny"),
                interval("2026-09-20T12:00:00Z", "2026-10-03T08:00:00Z", "stopped", "m1.tiny"),
                interval("2026-10-03T08:00:00Z", "2026-10-10T00:00:06Z", "active", "m1.tiny"),
                interval("2026-10-10T00:00:06Z", null, "stopped", "m1.tiny"));
        assertThat(timeline.problems()).isEmpty();
        // October by hand: stopped 56 h (1st 00:00 to 3rd 08:00) + 527 h 59 min 54 s (10th 00:00:06 to the end), active 160 h 6 s; 744 h in all
        assertThat(secondsIn(timeline, "stopped", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")).isEqualTo(56 * 3600 + 527 * 3600 + 59 * 60 + 54);
        assertThat(secondsIn(timeline, "active", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")).isEqualTo(160 * 3600 + 6);
    }

    private static Instant nova(JsonNode node) {
        return node == null || node.isNull() ? null : LocalDateTime.parse(node.asText()).toInstant(ZoneOffset.UTC);
    }

    private static InstanceAction fromJson(JsonNode node, JsonNode events) {
        List<ActionEvent> read = new ArrayList<>();
        if (events != null) {
            for (JsonNode event : events) {
                read.add(new ActionEvent(event.get("event").asText(), nova(event.get("start_time")),
                        nova(event.get("finish_time")), event.get("result").isNull() ? null : event.get("result").asText()));
            }
        }
        return new InstanceAction(node.get("instance_uuid").asText(), node.get("request_id").asText(), node.get("action").asText(),
                node.get("project_id").asText(), node.get("user_id").asText(), nova(node.get("start_time")),
                nova(node.get("updated_at")), node.get("message").isNull() ? null : node.get("message").asText(), read, events != null);
    }

    static long secondsIn(ServerTimeline timeline, String state, String from, String to) {
        Instant start = t(from);
        Instant end = t(to);
        long seconds = 0;
        for (StateInterval interval : timeline.intervals()) {
            if (!interval.vmState().equals(state)) {
                continue;
            }
            Instant a = interval.from().isAfter(start) ? interval.from() : start;
            Instant b = interval.to() == null || interval.to().isAfter(end) ? end : interval.to();
            if (b.isAfter(a)) {
                seconds += b.getEpochSecond() - a.getEpochSecond();
            }
        }
        return seconds;
    }

    @Test
    void theSameHistoryWithEveryEventReadChangesAtEachLastEventsFinish() {
        ServerTimeline timeline = build(known("stopped", flavor("2026-09-09T23:58:40Z", "m1.tiny")),
                action("create", "2026-09-09T23:58:00Z", "2026-09-09T23:58:40Z", "Success"),
                action("stop", "2026-09-20T12:00:00Z", "2026-09-20T12:00:05Z", "Success"),
                action("start", "2026-10-03T08:00:00Z", "2026-10-03T08:00:04Z", "Success"),
                action("start", "2026-10-08T09:00:00Z", "2026-10-08T09:00:02Z", "Error"),
                action("stop", "2026-10-10T00:00:00Z", "2026-10-10T00:00:06Z", "Success"));

        assertThat(timeline.intervals()).containsExactly(
                interval("2026-09-09T23:58:00Z", "2026-09-09T23:58:40Z", "building", "m1.tiny"),
                interval("2026-09-09T23:58:40Z", "2026-09-20T12:00:05Z", "active", "m1.tiny"),
                interval("2026-09-20T12:00:05Z", "2026-10-03T08:00:04Z", "stopped", "m1.tiny"),
                interval("2026-10-03T08:00:04Z", "2026-10-10T00:00:06Z", "active", "m1.tiny"),
                interval("2026-10-10T00:00:06Z", null, "stopped", "m1.tiny"));
    }

    @Test
    void anActionStillRunningIsLeftForALaterRunAndTakenUpOnceFinished() {
        InstanceAction create = action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success");
        ServerTimeline running = build(known("active"), create, action("stop", "2026-10-02T00:00:00Z", null, null));
        ServerTimeline finished = build(known("stopped"), create,
                action("stop", "2026-10-02T00:00:00Z", "2026-10-02T00:00:30Z", "Success"));

        assertThat(running.intervals()).last().isEqualTo(interval("2026-10-01T00:01:00Z", null, "active", null));
        assertThat(finished.intervals()).last().isEqualTo(interval("2026-10-02T00:00:30Z", null, "stopped", null));
    }

    @Test
    void aFailedStartOfAServerUsageNowReportsInErrorPutsItInErrorFromTheFailure() {
        ServerTimeline timeline = build(known("error"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("stop", "2026-10-02T00:00:00Z", "2026-10-02T00:00:10Z", "Success"),
                action("start", "2026-10-03T00:00:00Z", "2026-10-03T00:00:09Z", "Error"));

        assertThat(timeline.intervals()).last().satisfies(last -> {
            assertThat(last.vmState()).isEqualTo("error");
            assertThat(last.from()).isEqualTo(t("2026-10-03T00:00:09Z"));
            assertThat(last.assumption()).contains("failed start");
        });
    }

    // ---- shelve ----

    @Test
    void aShelveFollowedByShelveOffloadIsShelvedThenOffloadedWithoutAssumption() {
        ServerTimeline timeline = build(known("shelved_offloaded", flavor("2026-10-01T00:01:00Z", "m1.small")),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("shelve", "2026-10-10T00:00:00Z", "2026-10-10T00:02:00Z", "Success"),
                action("shelveOffload", "2026-10-12T00:00:00Z", "2026-10-12T00:01:00Z", "Success"));

        assertThat(timeline.intervals()).containsExactly(
                interval("2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "building", "m1.small"),
                interval("2026-10-01T00:01:00Z", "2026-10-10T00:02:00Z", "active", "m1.small"),
                interval("2026-10-10T00:02:00Z", "2026-10-12T00:01:00Z", "shelved", "m1.small"),
                interval("2026-10-12T00:01:00Z", null, "shelved_offloaded", "m1.small"));
    }

    @Test
    void aLastShelveIsOffloadedAsUsageReportsAndTheTimelineSaysItWasAssumed() {
        ServerTimeline offloaded = build(known("shelved_offloaded"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("shelve", "2026-10-10T00:00:00Z", "2026-10-10T00:02:00Z", "Success"));
        ServerTimeline shelved = build(known("shelved"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("shelve", "2026-10-10T00:00:00Z", "2026-10-10T00:02:00Z", "Success"));

        assertThat(offloaded.intervals()).last().satisfies(last -> {
            assertThat(last.vmState()).isEqualTo("shelved_offloaded");
            assertThat(last.assumption()).contains("usage reports shelved_offloaded");
        });
        assertThat(shelved.intervals()).last().satisfies(last -> {
            assertThat(last.vmState()).isEqualTo("shelved");
            assertThat(last.assumption()).isNull();
        });
    }

    @Test
    void anUnshelveTellsByItsEventWhetherTheShelvedServerHadBeenOffloaded() {
        ServerTimeline fromOffloaded = build(known("active"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("shelve", "2026-10-10T00:00:00Z", "2026-10-10T00:02:00Z", "Success"),
                withEvent("unshelve", "compute_unshelve_instance", "2026-10-20T00:00:00Z", "2026-10-20T00:03:00Z"));
        ServerTimeline fromShelved = build(known("active"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("shelve", "2026-10-10T00:00:00Z", "2026-10-10T00:02:00Z", "Success"),
                withEvent("unshelve", "compute_start_instance", "2026-10-20T00:00:00Z", "2026-10-20T00:03:00Z"));

        assertThat(fromOffloaded.intervals()).extracting(StateInterval::vmState)
                .containsExactly("building", "active", "shelved_offloaded", "active");
        assertThat(fromOffloaded.intervals().get(2).assumption()).contains("offloaded server");
        assertThat(fromShelved.intervals()).extracting(StateInterval::vmState)
                .containsExactly("building", "active", "shelved", "active");
        assertThat(fromShelved.intervals().get(2).assumption()).isNull();
    }

    // ---- resize ----

    @Test
    void aConfirmedResizeRunsTheNewFlavorFromItsFinishAndKeepsIt() {
        ServerTimeline timeline = build(known("active", flavor("2026-10-01T00:01:00Z", "m1.small"),
                        flavor("2026-10-10T00:04:30Z", "m1.large")),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("resize", "2026-10-10T00:00:00Z", "2026-10-10T00:05:00Z", "Success"),
                action("confirmResize", "2026-10-11T00:00:00Z", "2026-10-11T00:00:20Z", "Success"));

        assertThat(timeline.intervals()).containsExactly(
                interval("2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "building", "m1.small"),
                interval("2026-10-01T00:01:00Z", "2026-10-10T00:05:00Z", "active", "m1.small"),
                interval("2026-10-10T00:05:00Z", "2026-10-11T00:00:20Z", "resized", "m1.large"),
                interval("2026-10-11T00:00:20Z", null, "active", "m1.large"));
    }

    @Test
    void aRevertedResizeGoesBackToTheFlavorBeforeEvenWhenOnlyTheRestoredOneWasRecorded() {
        InstanceAction[] actions = {
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("resize", "2026-10-10T00:00:00Z", "2026-10-10T00:05:00Z", "Success"),
                action("revertResize", "2026-10-11T00:00:00Z", "2026-10-11T00:02:00Z", "Success")};
        ServerTimeline regular = build(known("active", flavor("2026-10-01T00:01:00Z", "m1.small"),
                flavor("2026-10-10T00:04:30Z", "m1.large"), flavor("2026-10-11T00:01:50Z", "m1.small")), actions);
        // a first backfill after the revert: os-metrics saw only the launched_at of the revert
        ServerTimeline backfilled = build(known("active", flavor("2026-10-11T00:01:50Z", "m1.small")), actions);

        assertThat(regular.intervals()).containsExactly(
                interval("2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "building", "m1.small"),
                interval("2026-10-01T00:01:00Z", "2026-10-10T00:05:00Z", "active", "m1.small"),
                interval("2026-10-10T00:05:00Z", "2026-10-11T00:02:00Z", "resized", "m1.large"),
                interval("2026-10-11T00:02:00Z", null, "active", "m1.small"));
        assertThat(backfilled.intervals()).extracting(StateInterval::flavorName)
                .containsExactly("m1.small", "m1.small", null, "m1.small");
    }

    @Test
    void aStoppedServerResizedAndConfirmedIsStoppedAgainAndAColdMigrationKeepsItsFlavor() {
        ServerTimeline timeline = build(known("stopped", flavor("2026-10-01T00:01:00Z", "m1.small")),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("stop", "2026-10-05T00:00:00Z", "2026-10-05T00:00:10Z", "Success"),
                action("migrate", "2026-10-10T00:00:00Z", "2026-10-10T00:05:00Z", "Success"),
                action("confirmResize", "2026-10-11T00:00:00Z", "2026-10-11T00:00:20Z", "Success"));

        assertThat(timeline.intervals()).extracting(i -> i.vmState() + " " + i.flavorName())
                .containsExactly("building m1.small", "active m1.small", "stopped m1.small", "resized m1.small", "stopped m1.small");
    }

    // ---- the other actions ----

    @Test
    void everyStateActionOfTheReferenceMapsToNovasVmState() {
        ServerTimeline timeline = build(known("deleted"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("pause", "2026-10-02T00:00:00Z", "2026-10-02T00:00:01Z", "Success"),
                action("unpause", "2026-10-03T00:00:00Z", "2026-10-03T00:00:01Z", "Success"),
                action("suspend", "2026-10-04T00:00:00Z", "2026-10-04T00:00:01Z", "Success"),
                action("resume", "2026-10-05T00:00:00Z", "2026-10-05T00:00:01Z", "Success"),
                action("rescue", "2026-10-06T00:00:00Z", "2026-10-06T00:00:01Z", "Success"),
                action("unrescue", "2026-10-07T00:00:00Z", "2026-10-07T00:00:01Z", "Success"),
                action("stop", "2026-10-08T00:00:00Z", "2026-10-08T00:00:01Z", "Success"),
                action("rebuild", "2026-10-09T00:00:00Z", "2026-10-09T00:00:01Z", "Success"),
                action("reboot", "2026-10-10T00:00:00Z", "2026-10-10T00:00:01Z", "Success"),
                action("rebuild", "2026-10-11T00:00:00Z", "2026-10-11T00:00:01Z", "Success"),
                action("attach_volume", "2026-10-12T00:00:00Z", "2026-10-12T00:00:01Z", "Success"),
                withEvent("delete", "compute_soft_delete_instance", "2026-10-13T00:00:00Z", "2026-10-13T00:00:01Z"),
                action("restore", "2026-10-14T00:00:00Z", "2026-10-14T00:00:01Z", "Success"),
                action("evacuate", "2026-10-15T00:00:00Z", "2026-10-15T00:00:01Z", "Success"),
                withEvent("delete", "compute_terminate_instance", "2026-10-16T00:00:00Z", "2026-10-16T00:00:01Z"));

        // a rebuild keeps a stopped server stopped; a (hard) reboot of a stopped server makes it active
        assertThat(timeline.intervals()).extracting(StateInterval::vmState).containsExactly("building", "active", "paused",
                "active", "suspended", "active", "rescued", "active", "stopped", "active", "soft-delete", "active", "deleted");
        assertThat(timeline.problems()).isEmpty();
    }

    @Test
    void aSoftDeletedServerReclaimedLaterEndsDeletedAtNovasTerminatedAt() {
        KnownServer known = new KnownServer(ID, "p-1", "deleted", null, t("2026-10-20T00:00:00Z"), List.of(), AS_OF);
        ServerTimeline timeline = Timelines.build(new ServerActions(ID, List.of(
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                withEvent("delete", "compute_soft_delete_instance", "2026-10-13T00:00:00Z", "2026-10-13T00:00:01Z")), false), known);

        assertThat(timeline.intervals()).last().satisfies(last -> {
            assertThat(last.vmState()).isEqualTo("deleted");
            assertThat(last.from()).isEqualTo(t("2026-10-20T00:00:00Z"));
            assertThat(last.assumption()).contains("reclaimed");
        });
    }

    @Test
    void resetStateForcesAStateAndSaysWhichWasAssumed() {
        ServerTimeline timeline = build(known("stopped"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("stop", "2026-10-02T00:00:00Z", "2026-10-02T00:00:01Z", "Success"),
                unread("resetState", "2026-10-03T00:00:00Z"),
                action("stop", "2026-10-04T00:00:00Z", "2026-10-04T00:00:01Z", "Success"));

        assertThat(timeline.intervals()).extracting(StateInterval::vmState)
                .containsExactly("building", "active", "stopped", "active", "stopped");
        assertThat(timeline.intervals().get(3).from()).isEqualTo(t("2026-10-03T00:00:00Z"));
        assertThat(timeline.intervals().get(3).assumption()).contains("resetState").contains("stop");
    }

    // ---- bad input ----

    @Test
    void unknownActionsAreKeptAndReportedAndChangeNothing() {
        ServerTimeline timeline = build(known("active"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("hibernate", "2026-10-02T00:00:00Z", "2026-10-02T00:00:01Z", "Success"));

        assertThat(timeline.intervals()).extracting(StateInterval::vmState).containsExactly("building", "active");
        assertThat(timeline.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Anomaly.Kind.TIMELINE_UNKNOWN_ACTION);
            assertThat(p.detail()).contains("unknown action 'hibernate'").contains("kept");
        });
    }

    @Test
    void actionsOutOfOrderAreSortedAndOverlappingOnesAppliedInOrderOfFinishEachReported() {
        ServerTimeline timeline = build(known("active"),
                action("stop", "2026-10-02T00:00:00Z", "2026-10-02T00:10:00Z", "Success"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("start", "2026-10-02T00:05:00Z", "2026-10-02T00:06:00Z", "Success"));

        assertThat(timeline.problems()).extracting(TimelineProblem::kind)
                .containsExactly(Anomaly.Kind.TIMELINE_OUT_OF_ORDER, Anomaly.Kind.TIMELINE_OVERLAP);
        assertThat(timeline.intervals()).extracting(StateInterval::vmState).containsExactly("building", "active", "stopped");
        assertThat(timeline.intervals()).last().isEqualTo(interval("2026-10-02T00:10:00Z", null, "stopped", null));
    }

    @Test
    void anAbsurdTimeIgnoresItsActionWithAClearProblem() {
        ServerTimeline timeline = build(known("active"),
                action("create", "2026-10-01T00:00:00Z", "2026-10-01T00:01:00Z", "Success"),
                action("stop", "2031-01-01T00:00:00Z", "2031-01-01T00:00:05Z", "Success"),
                action("pause", "2026-10-03T00:00:00Z", "2026-10-02T00:00:00Z", "Success"));

        assertThat(timeline.intervals()).extracting(StateInterval::vmState).containsExactly("building", "active");
        assertThat(timeline.problems()).extracting(TimelineProblem::kind)
                .containsExactly(Anomaly.Kind.TIMELINE_ABSURD_TIME, Anomaly.Kind.TIMELINE_ABSURD_TIME);
        assertThat(timeline.problems().get(0).detail()).contains("stop").contains("2031-01-01");
        assertThat(timeline.problems().get(1).detail()).contains("before");
    }

    @Test
    void aServerNovaNoLongerKnowsHasNoNewTimelineAndSaysSo() {
        ServerTimeline timeline = Timelines.build(ServerActions.unknown(ID), known("active"));

        assertThat(timeline.unknownToNova()).isTrue();
        assertThat(timeline.intervals()).isEmpty();
        assertThat(timeline.problems()).singleElement().extracting(TimelineProblem::detail).asString()
                .contains("404").contains("kept");
    }
}

package org.osmetrics.transform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.ServerActions;

/**
 * A server's instance actions to its timeline (README, "Usage as it ran"; the rules from Nova's source in the
 * reference on instance actions). Pure: the same actions and knowledge give the same timeline.
 * <ul>
 * <li>A state changes at the finish time of the action's last event when every event succeeded, at the action's
 * start time when it has no events (or they were not read). An action with an event still running is left for a
 * later run; a failed one (an event's result or the action's message {@code Error}) changes nothing, unless usage
 * says the server is in {@code error} now and that failure was its last word.</li>
 * <li>create: building, then active; delete: deleted ({@code soft-delete} when Nova soft-deleted it); restore,
 * start, reboot (a hard reboot of a stopped server too), unpause, resume, unrescue, unshelve: active; stop:
 * stopped; pause, suspend, rescue: paused, suspended, rescued; rebuild and evacuate: stopped when it was, else
 * active; resize and migrate: resized, the new flavor from the finish, until confirmResize (the state before the
 * resize, the new flavor) or revertResize (the state before, the flavor before); resetState: the state the next
 * action or the usage shows, as an assumption.</li>
 * <li>shelve: shelved when a later shelveOffload or an unshelve that only started it says so, else
 * shelved_offloaded (Nova offloads at once by default; an automatic offload later leaves no action), recording the
 * assumption.</li>
 * <li>The flavor of each stretch between flavor changes is the one os-metrics recorded with the launched_at of
 * that stretch (a resize resets launched_at); before os-metrics saw any, the one a revert restores.</li>
 * <li>Unknown actions, actions out of order, overlapping ones and absurd times are problems, never fatal.</li>
 * </ul>
 */
public final class Timelines {

    /** Nothing of OpenStack happened before its first release. */
    static final Instant EARLIEST = Instant.parse("2010-10-21T00:00:00Z");
    /** How far after the observation a time may be (clocks differ) before it is absurd. */
    static final Duration CLOCK_SKEW = Duration.ofDays(1);

    static final Set<String> NO_STATE_CHANGE = Set.of("changePassword", "live-migration", "live_migration_cancel",
            "live_migration_force_complete", "trigger_crash_dump", "extend_volume", "attach_interface",
            "detach_interface", "attach_volume", "detach_volume", "swap_volume", "lock", "unlock", "createBackup",
            "createImage", "refresh_volume_attachment");
    /** The actions Nova accepts only from an active server: after resetState, their success says it was active. */
    static final Set<String> FROM_ACTIVE = Set.of("stop", "pause", "suspend", "rescue", "shelve", "resize", "migrate",
            "createImage", "createBackup", "live-migration");
    static final Set<String> STATE_ACTIONS = Set.of("create", "delete", "restore", "stop", "start", "reboot", "rebuild",
            "evacuate", "pause", "unpause", "suspend", "resume", "rescue", "unrescue", "shelve", "shelveOffload",
            "unshelve", "resize", "migrate", "confirmResize", "revertResize", "resetState");

    private Timelines() {
    }

    private enum Outcome { SUCCEEDED, FAILED, IN_PROGRESS }

    /** An action with its outcome and the time its change happened (or failed). */
    private record Step(InstanceAction action, Outcome outcome, Instant at) {
        String name() {
            return action.action() == null ? "" : action.action();
        }

        String describe() {
            return name() + " (" + action.requestId() + ") at " + action.startTime();
        }

        boolean hasEvent(String eventName) {
            return action.events().stream().anyMatch(e -> e.name() != null && e.name().contains(eventName));
        }
    }

    /** A change of state at a time; flavorPoint true where the flavor may change (resize, revert finish). */
    private record Change(Instant at, String state, String assumption, FlavorPoint flavorPoint) {
    }

    /** Where the flavor may change: the action (its start bounds the launched_at it set) and what it was. */
    private record FlavorPoint(Instant actionStart, String action, Instant resizedAt) {
    }

    public static ServerTimeline build(ServerActions actions, KnownServer known) {
        String id = actions.instanceId();
        List<TimelineProblem> problems = new ArrayList<>();
        if (actions.unknownToNova()) {
            problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_UNKNOWN_TO_NOVA, null, "Nova no longer knows server "
                    + id + " (its actions answer 404, archived): its timeline is kept as recorded"));
            return new ServerTimeline(id, List.of(), problems, true);
        }
        List<Step> steps = steps(actions.actions(), known, problems);
        List<Change> changes = changes(steps, known, problems);
        List<StateInterval> intervals = intervals(changes, known);
        return new ServerTimeline(id, intervals, problems, false);
    }

    // ---- validating and ordering the actions ----

    private static List<Step> steps(List<InstanceAction> actions, KnownServer known, List<TimelineProblem> problems) {
        Instant latest = known.asOf().plus(CLOCK_SKEW);
        List<InstanceAction> valid = new ArrayList<>();
        for (InstanceAction action : actions) {
            String absurd = absurdity(action, latest);
            if (absurd != null) {
                problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_ABSURD_TIME, action.startTime(),
                        "action " + action.action() + " (" + action.requestId() + ") of server " + action.instanceId()
                                + " ignored: " + absurd));
            } else {
                valid.add(action);
            }
        }
        for (int i = 1; i < valid.size(); i++) {
            if (valid.get(i).startTime().isBefore(valid.get(i - 1).startTime())) {
                problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_OUT_OF_ORDER, valid.get(i).startTime(),
                        "actions of server " + valid.get(i).instanceId() + " out of time order (" + valid.get(i).action()
                                + " at " + valid.get(i).startTime() + " listed after " + valid.get(i - 1).action() + " at "
                                + valid.get(i - 1).startTime() + "): taken in order of start time"));
                break;
            }
        }
        valid.sort(Comparator.comparing(InstanceAction::startTime));
        List<Step> steps = new ArrayList<>();
        for (InstanceAction action : valid) {
            String name = action.action() == null ? "" : action.action();
            if (!STATE_ACTIONS.contains(name) && !NO_STATE_CHANGE.contains(name)) {
                problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_UNKNOWN_ACTION, action.startTime(),
                        "unknown action '" + name + "' (" + action.requestId() + ") of server " + action.instanceId()
                                + " at " + action.startTime() + ": kept, the state is left as it was"));
            }
            steps.add(new Step(action, outcome(action), changeTime(action)));
        }
        // overlapping changes: one started before the previous one's change happened
        Step previous = null;
        for (Step step : steps) {
            if (step.outcome() != Outcome.SUCCEEDED || !STATE_ACTIONS.contains(step.name())) {
                continue;
            }
            if (previous != null && step.at().isBefore(previous.at())) {
                problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_OVERLAP, step.action().startTime(),
                        "actions of server " + step.action().instanceId() + " overlap: " + step.describe()
                                + " finished at " + step.at() + ", before " + previous.describe() + " finished at "
                                + previous.at() + ": applied in order of finish"));
            }
            previous = step;
        }
        List<Step> ordered = new ArrayList<>(steps);
        ordered.sort(Comparator.comparing(Step::at));
        return ordered;
    }

    private static String absurdity(InstanceAction action, Instant latest) {
        if (action.startTime() == null) {
            return "it has no start time";
        }
        if (action.startTime().isBefore(EARLIEST) || action.startTime().isAfter(latest)) {
            return "its start time " + action.startTime() + " cannot be (before OpenStack or after the extraction)";
        }
        for (ActionEvent event : action.events()) {
            if (event.startTime() != null && (event.startTime().isBefore(EARLIEST) || event.startTime().isAfter(latest))) {
                return "its event " + event.name() + " starts at " + event.startTime() + ", which cannot be";
            }
            if (event.finishTime() != null) {
                if (event.finishTime().isAfter(latest)) {
                    return "its event " + event.name() + " finishes at " + event.finishTime() + ", after the extraction";
                }
                if (event.startTime() != null && event.finishTime().isBefore(event.startTime())) {
                    return "its event " + event.name() + " finishes at " + event.finishTime() + " before it starts at "
                            + event.startTime();
                }
                if (event.finishTime().isBefore(action.startTime())) {
                    return "its event " + event.name() + " finishes at " + event.finishTime()
                            + " before the action was asked at " + action.startTime();
                }
            }
        }
        return null;
    }

    private static Outcome outcome(InstanceAction action) {
        if (action.events().stream().anyMatch(ActionEvent::failed) || "Error".equalsIgnoreCase(action.message())) {
            return Outcome.FAILED;
        }
        if (action.events().stream().anyMatch(ActionEvent::inProgress)) {
            return Outcome.IN_PROGRESS;
        }
        return Outcome.SUCCEEDED;
    }

    private static Instant changeTime(InstanceAction action) {
        return action.events().stream().map(ActionEvent::finishTime).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(action.startTime());
    }

    // ---- the state machine ----

    private static List<Change> changes(List<Step> steps, KnownServer known, List<TimelineProblem> problems) {
        List<Change> changes = new ArrayList<>();
        String state = null;
        String beforeResize = null;
        Instant resizedAt = null;
        Instant lastSuccess = null;
        Step lastFailure = null;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.outcome() == Outcome.FAILED) {
                lastFailure = step;
                continue;
            }
            if (step.outcome() == Outcome.IN_PROGRESS || !STATE_ACTIONS.contains(step.name())) {
                continue;
            }
            Instant at = step.at();
            String next = null;
            String assumption = null;
            FlavorPoint flavorPoint = null;
            switch (step.name()) {
                case "create" -> {
                    if (step.action().startTime().isBefore(at)) {
                        changes.add(new Change(step.action().startTime(), "building", null, null));
                    }
                    next = "active";
                }
                case "delete" -> next = step.hasEvent("soft_delete") ? "soft-delete" : "deleted";
                case "restore", "start", "reboot", "unpause", "resume", "unrescue", "unshelve" -> next = "active";
                case "stop" -> next = "stopped";
                case "pause" -> next = "paused";
                case "suspend" -> next = "suspended";
                case "rescue" -> next = "rescued";
                case "rebuild", "evacuate" -> next = "stopped".equals(state) ? "stopped" : "active";
                case "shelveOffload" -> next = "shelved_offloaded";
                case "shelve" -> {
                    String[] decided = shelveOutcome(steps, i, known);
                    next = decided[0];
                    assumption = decided[1];
                }
                case "resize", "migrate" -> {
                    beforeResize = "stopped".equals(state) ? "stopped" : "active";
                    next = "resized";
                    resizedAt = at;
                    flavorPoint = new FlavorPoint(step.action().startTime(), step.name(), null);
                }
                case "confirmResize" -> next = beforeResize == null ? "active" : beforeResize;
                case "revertResize" -> {
                    next = beforeResize == null ? "active" : beforeResize;
                    flavorPoint = new FlavorPoint(step.action().startTime(), step.name(), resizedAt);
                }
                case "resetState" -> {
                    String[] decided = resetOutcome(steps, i, known);
                    next = decided[0];
                    assumption = decided[1];
                }
                default -> throw new IllegalStateException("no rule for " + step.name());
            }
            changes.add(new Change(at, next, assumption, flavorPoint));
            state = next;
            lastSuccess = at;
        }
        // a failure that left the server in error: usage says so now
        if ("error".equals(known.currentState()) && !"error".equals(state)) {
            if (lastFailure != null && (lastSuccess == null || lastFailure.at().isAfter(lastSuccess))) {
                changes.add(new Change(lastFailure.at(), "error", "the failed " + lastFailure.name()
                        + " left the server in error, as Nova's usage reports it now", null));
            } else {
                problems.add(new TimelineProblem(Anomaly.Kind.TIMELINE_INCONSISTENT, lastSuccess, "usage reports server "
                        + known.instanceId() + " in error, but no failed action after its last change tells when"));
            }
        }
        // deleted (or reclaimed after a soft delete) without an action read: Nova's terminated_at tells when
        String last = changes.isEmpty() ? null : changes.get(changes.size() - 1).state();
        if (known.endedAt() != null && !"deleted".equals(last) && !changes.isEmpty()
                && known.endedAt().isAfter(changes.get(changes.size() - 1).at())) {
            changes.add(new Change(known.endedAt(), "deleted", "deleted at Nova's terminated_at"
                    + ("soft-delete".equals(last) ? " (reclaimed after the soft delete; reclaiming records no action)"
                            : " (no delete action read)"), null));
        }
        return changes;
    }

    /** After a shelve: {state, assumption}. */
    private static String[] shelveOutcome(List<Step> steps, int index, KnownServer known) {
        Step next = nextChange(steps, index);
        if (next != null) {
            if (next.name().equals("shelveOffload")) {
                return new String[] {"shelved", null};
            }
            if (next.name().equals("unshelve") && next.action().eventsRead()) {
                if (next.hasEvent("compute_start_instance")) {
                    return new String[] {"shelved", null};
                }
                if (next.hasEvent("compute_unshelve_instance")) {
                    return new String[] {"shelved_offloaded", "offloaded at the shelve (Nova's default"
                            + " shelved_offload_time 0): the unshelve came from an offloaded server, the time of its"
                            + " offload is not recorded"};
                }
            }
            return new String[] {"shelved_offloaded", "offloaded at the shelve (Nova's default shelved_offload_time 0):"
                    + " the next action (" + next.name() + ") does not tell"};
        }
        if ("shelved".equals(known.currentState())) {
            return new String[] {"shelved", null};
        }
        if ("shelved_offloaded".equals(known.currentState())) {
            return new String[] {"shelved_offloaded", "offloaded at the shelve: usage reports shelved_offloaded now,"
                    + " an automatic offload later records no action"};
        }
        return new String[] {"shelved_offloaded", "offloaded at the shelve (Nova's default shelved_offload_time 0):"
                + " no later action or usage state tells"};
    }

    /** After a resetState (which records no target state): {state, assumption}. */
    private static String[] resetOutcome(List<Step> steps, int index, KnownServer known) {
        Step next = nextChange(steps, index);
        if (next != null && FROM_ACTIVE.contains(next.name())) {
            return new String[] {"active", "resetState records no state: active, since the next action ("
                    + next.name() + ") succeeded from it"};
        }
        if (next == null && ("active".equals(known.currentState()) || "error".equals(known.currentState()))) {
            return new String[] {known.currentState(), "resetState records no state: " + known.currentState()
                    + ", as Nova's usage reports it now"};
        }
        return new String[] {"active", "resetState records no state: active assumed (as Nova counts it)"};
    }

    /** The next succeeded action that changes state or may (the one that tells what the previous left). */
    private static Step nextChange(List<Step> steps, int index) {
        for (int j = index + 1; j < steps.size(); j++) {
            Step step = steps.get(j);
            if (step.outcome() == Outcome.SUCCEEDED
                    && (STATE_ACTIONS.contains(step.name()) || FROM_ACTIVE.contains(step.name()))) {
                return step;
            }
        }
        return null;
    }

    // ---- intervals and flavors ----

    private static List<StateInterval> intervals(List<Change> changes, KnownServer known) {
        if (changes.isEmpty()) {
            return List.of();
        }
        // changes at the same instant: the last one holds
        List<Change> merged = new ArrayList<>();
        for (Change change : changes) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1).at().equals(change.at())) {
                Change replaced = merged.remove(merged.size() - 1);
                FlavorPoint point = change.flavorPoint() != null ? change.flavorPoint() : replaced.flavorPoint();
                change = new Change(change.at(), change.state(), change.assumption(), point);
            }
            merged.add(change);
        }
        String[] flavors = flavors(merged, known);
        List<StateInterval> intervals = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            Change change = merged.get(i);
            Instant to = i + 1 < merged.size() ? merged.get(i + 1).at() : null;
            StateInterval interval = new StateInterval(change.at(), to, change.state(), flavors[i], change.assumption());
            if (!intervals.isEmpty()) {
                StateInterval last = intervals.get(intervals.size() - 1);
                if (last.vmState().equals(interval.vmState()) && java.util.Objects.equals(last.flavorName(), interval.flavorName())
                        && java.util.Objects.equals(last.assumption(), interval.assumption())) {
                    intervals.set(intervals.size() - 1, new StateInterval(last.from(), to, last.vmState(),
                            last.flavorName(), last.assumption()));
                    continue;
                }
            }
            intervals.add(interval);
        }
        return intervals;
    }

    /** The flavor in force from each change on. */
    private static String[] flavors(List<Change> changes, KnownServer known) {
        // segments: from one flavor point to the next
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 1; i < changes.size(); i++) {
            if (changes.get(i).flavorPoint() != null) {
                starts.add(i);
            }
        }
        String[] segmentFlavor = new String[starts.size()];
        for (int s = 0; s < starts.size(); s++) {
            Change first = changes.get(starts.get(s));
            Instant lower = s == 0 && first.flavorPoint() == null ? null : first.flavorPoint() == null
                    ? first.at() : first.flavorPoint().actionStart();
            // the next stretch's launched_at comes after its action was asked
            Instant upper = s + 1 < starts.size() ? changes.get(starts.get(s + 1)).flavorPoint().actionStart() : null;
            String found = null;
            for (KnownServer.KnownFlavor flavor : known.flavors()) {
                boolean afterLower = lower == null || !flavor.since().isBefore(lower);
                boolean beforeUpper = upper == null || flavor.since().isBefore(upper);
                if (afterLower && beforeUpper) {
                    found = flavor.name();
                }
            }
            if (found == null && s > 0 && first.flavorPoint() != null) {
                FlavorPoint point = first.flavorPoint();
                if (point.action().equals("migrate")) {
                    found = segmentFlavor[s - 1];  // a cold migration keeps the flavor
                } else if (point.action().equals("revertResize")) {
                    found = flavorBefore(changes, starts, segmentFlavor, point.resizedAt());
                }
            }
            segmentFlavor[s] = found;
        }
        // a revert restores the flavor before its resize: when only the restored one was recorded, it was that one
        for (int s = 1; s < starts.size(); s++) {
            FlavorPoint point = changes.get(starts.get(s)).flavorPoint();
            if (point != null && point.action().equals("revertResize") && segmentFlavor[s] != null
                    && point.resizedAt() != null) {
                int before = segmentOf(changes, starts, point.resizedAt()) - 1;
                if (before >= 0 && segmentFlavor[before] == null) {
                    segmentFlavor[before] = segmentFlavor[s];
                }
            }
        }
        String[] byChange = new String[changes.size()];
        for (int s = 0; s < starts.size(); s++) {
            int end = s + 1 < starts.size() ? starts.get(s + 1) : changes.size();
            for (int i = starts.get(s); i < end; i++) {
                byChange[i] = segmentFlavor[s];
            }
        }
        return byChange;
    }

    private static String flavorBefore(List<Change> changes, List<Integer> starts, String[] segmentFlavor,
                                       Instant resizedAt) {
        if (resizedAt == null) {
            return null;
        }
        int before = segmentOf(changes, starts, resizedAt) - 1;
        return before >= 0 ? segmentFlavor[before] : null;
    }

    /** The segment in force at an instant: the last one starting at or before it. */
    private static int segmentOf(List<Change> changes, List<Integer> starts, Instant at) {
        int segment = 0;
        for (int s = 0; s < starts.size(); s++) {
            if (!changes.get(starts.get(s)).at().isAfter(at)) {
                segment = s;
            }
        }
        return segment;
    }
}

package org.osmetrics.transform;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's life as its actions tell it: intervals in time order, never overlapping, and the problems met.
 *
 * @param unknownToNova Nova answered 404 for its actions: the intervals recorded before are to be kept
 */
public record ServerTimeline(String instanceId, List<StateInterval> intervals, List<TimelineProblem> problems,
                             boolean unknownToNova) {
    public ServerTimeline {
        Objects.requireNonNull(instanceId, "instanceId");
        intervals = List.copyOf(intervals);
        problems = List.copyOf(problems);
    }

    /** The interval covering the instant, if any. */
    public Optional<StateInterval> at(Instant instant) {
        return intervals.stream().filter(interval -> interval.covers(instant)).findFirst();
    }
}

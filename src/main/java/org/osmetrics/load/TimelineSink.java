package org.osmetrics.load;

import java.time.Instant;
import java.util.List;
import org.osmetrics.extract.ServerActions;

/**
 * Where the whole action histories of the servers a timeline extraction read go: the timeline model
 * ({@link TimelineLoader}: {@code Timelines.build} and the intervals stored), called after the usage load of the
 * same run, in batches.
 */
public interface TimelineSink {

    /**
     * Rebuilds the timelines of these servers (each with every action stored for it, oldest first).
     *
     * @param asOf when the actions were read: a later time in them is absurd
     */
    void rebuild(Cloud cloud, long runId, List<ServerActions> servers, Instant asOf);

    /** The run could not read the actions (refused, or failed): for status and monitoring. */
    default void failed(Cloud cloud, long runId, String error) {
    }
}

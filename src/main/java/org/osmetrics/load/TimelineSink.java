package org.osmetrics.load;

import java.util.List;
import org.osmetrics.extract.ServerActions;

/**
 * Where the whole action histories of the servers a timeline extraction read go: the timeline model
 * ({@code Timelines.build} and {@code TimelineLoader}), called after the usage load of the same run, in batches.
 */
@FunctionalInterface
public interface TimelineSink {

    /** Rebuilds the timelines of these servers (each with every action stored for it, oldest first). */
    void rebuild(Cloud cloud, List<ServerActions> servers);
}

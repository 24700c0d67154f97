package org.osmetrics.load;

import java.time.Instant;
import java.util.List;
import org.osmetrics.extract.ServerActions;

/** The timeline sinks of the pipeline. */
public final class TimelineSinks {

    private TimelineSinks() {
    }

    /** The timeline model: each server's intervals rebuilt from its whole history and stored. */
    public static TimelineSink model(Database database) {
        TimelineLoader loader = new TimelineLoader(database.jdbi());
        return new TimelineSink() {
            @Override
            public void rebuild(Cloud cloud, long runId, List<ServerActions> servers, Instant asOf) {
                loader.load(cloud, runId, servers, asOf);
            }

            @Override
            public void failed(Cloud cloud, long runId, String error) {
                loader.recordFailure(cloud, runId, error);
            }
        };
    }
}

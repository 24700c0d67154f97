package org.osmetrics.load;

/** The timeline sinks of the pipeline. */
public final class TimelineSinks {

    private TimelineSinks() {
    }

    /** The timeline model: each server's intervals rebuilt from its whole history and stored. */
    public static TimelineSink model(Database database) {
        return (cloud, servers) -> {
            // connected to Timelines.build and TimelineLoader when the timeline model is merged (issue #15)
        };
    }
}

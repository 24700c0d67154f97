package org.osmetrics.extract;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where usage comes from: an authenticated connection to one cloud's Keystone and Nova. The only type
 * the rest of the pipeline sees of the extract stage.
 */
public interface UsageSource extends AutoCloseable {

    /** A stable name of the cloud, used as its key in the database (e.g. the auth URL host and region). */
    String cloudKey();

    /** The project the credentials are scoped to: the default scope of {@code run}. */
    String scopedProjectId();

    /**
     * Reads Nova's usage of {@code [start, end)} for a scope, every page of it, merged per project.
     * A range whose end is after the moment of the call comes back provisional.
     *
     * @throws org.osmetrics.OsMetricsException with exit code 3 (auth) or 4 (API) when it cannot
     */
    UsageExtraction extract(Instant start, Instant end, Scope scope);

    /**
     * Nova's instance actions over the same connection, when the source can read them (a live cloud); empty for a
     * source without them (an archive). One per source; not thread-safe, like the source.
     */
    default Optional<ActionSource> actions() {
        return Optional.empty();
    }

    /** Project names by id, as far as the credentials may list them; empty when they may not. */
    Map<String, String> projectNames();

    @Override
    void close();
}

package org.osmetrics.extract;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * A source under another cloud key: the simulator under a stable key (its port changes on every start), or a
 * second copy of one cloud's data in the same database (the soak's reference backfill).
 */
public record RenamedSource(UsageSource delegate, String cloudKey) implements UsageSource {

    public RenamedSource {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(cloudKey, "cloudKey");
    }

    @Override
    public String scopedProjectId() {
        return delegate.scopedProjectId();
    }

    @Override
    public UsageExtraction extract(Instant start, Instant end, Scope scope) {
        return delegate.extract(start, end, scope);
    }

    @Override
    public Optional<ActionSource> actions() {
        return delegate.actions();
    }

    @Override
    public Map<String, String> projectNames() {
        return delegate.projectNames();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "cloud " + cloudKey + " (" + delegate + ")";
    }
}

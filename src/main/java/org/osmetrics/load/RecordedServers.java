package org.osmetrics.load;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.extract.Scope;

/** What this database recorded of a cloud's servers, for the use cases' checks. Thread-safe (stateless over Jdbi). */
public final class RecordedServers {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Jdbi jdbi;

    public RecordedServers(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The instance ids, sorted, of the scope's servers recorded alive in {@code [start, end)} (usage facts in its
     * windows, or a recorded life that overlaps it) that are not among {@code listed} (UUIDs as text).
     */
    public List<String> aliveNotListed(Cloud cloud, Scope scope, Instant start, Instant end, List<String> listed) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(RecordedServers.class, "aliveNotListed"))
                .bind("cloud", cloud.cloudId())
                .bind("allProjects", scope.isAllProjects())
                .bind("project", scope.isAllProjects() ? "" : scope.projectId())
                .bind("start", start)
                .bind("end", end)
                .bindArray("listed", String.class, listed)
                .mapTo(String.class)
                .list());
    }
}

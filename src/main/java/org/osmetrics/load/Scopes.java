package org.osmetrics.load;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * The scopes (a project id, or {@code *} for all projects) each cloud has been run for, and forgetting one so
 * that monitoring ({@code status}) stops counting it until it runs again. Thread-safe.
 */
public final class Scopes {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** One cloud's scope: its runs, what it loaded, and whether monitoring ignores it. */
    public record Entry(String cloud, String scope, String projectName, long runs, Instant firstRun, Instant lastRun,
            Instant lastSuccess, Instant firstWindow, Instant loadedUntil, Instant forgottenAt, boolean forgotten) {
    }

    private final Jdbi jdbi;

    public Scopes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Entry> list() {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Scopes.class, "list"))
                .map((rs, ctx) -> new Entry(rs.getString("cloud_key"), rs.getString("scope"), rs.getString("project_name"),
                        rs.getLong("runs"), instant(rs, "first_started"), instant(rs, "last_started"),
                        instant(rs, "last_success"), instant(rs, "first_window"), instant(rs, "loaded_until"),
                        instant(rs, "forgotten_at"), rs.getBoolean("forgotten")))
                .list());
    }

    /**
     * Forgets {@code scope} of the cloud {@code cloudKey}, or of the only cloud that has it when {@code cloudKey}
     * is null.
     *
     * @return the scope as it is now
     * @throws OsMetricsException exit 2 when no cloud has that scope, or several do and none was named
     */
    public Entry forget(String cloudKey, String scope) {
        List<Entry> matching = list().stream()
                .filter(s -> s.scope().equals(scope) && (cloudKey == null || s.cloud().equals(cloudKey)))
                .toList();
        if (matching.isEmpty()) {
            throw OsMetricsException.usage("no scope " + scope + (cloudKey == null ? "" : " of cloud " + cloudKey)
                    + " has run: see 'os-metrics scopes list'");
        }
        if (matching.size() > 1) {
            throw OsMetricsException.usage("scope " + scope + " belongs to " + matching.size() + " clouds ("
                    + String.join(", ", matching.stream().map(Entry::cloud).toList()) + "): name one with --cloud");
        }
        Entry target = matching.get(0);
        jdbi.useHandle(handle -> handle.createUpdate(SQL.locate(Scopes.class, "forget"))
                .bind("cloud", new CloudRepository(jdbi).find(target.cloud()).orElseThrow().cloudId())
                .bind("scope", scope)
                .execute());
        return list().stream().filter(s -> s.cloud().equals(target.cloud()) && s.scope().equals(scope)).findFirst()
                .orElseThrow();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

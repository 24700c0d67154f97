package org.osmetrics.report;

import java.math.BigDecimal;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** What one cloud holds, per project: the table {@code demo} ends with. Thread-safe. */
public final class CloudTotals {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** One project's totals; hours rounded to one decimal. */
    public record Project(String projectId, String name, long servers, long rows, BigDecimal vcpuHours,
            BigDecimal memoryGbHours) {
    }

    private final Jdbi jdbi;

    public CloudTotals(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Project> perProject(String cloudKey) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(CloudTotals.class, "perProject"))
                .bind("key", cloudKey)
                .map((rs, ctx) -> new Project(rs.getString("project_id"), rs.getString("name"), rs.getLong("servers"),
                        rs.getLong("rows"), rs.getBigDecimal("vcpu_hours"), rs.getBigDecimal("memory_gb_hours")))
                .list());
    }
}

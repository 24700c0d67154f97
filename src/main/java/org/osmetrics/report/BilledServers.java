package org.osmetrics.report;

import java.math.BigDecimal;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** A stopped and a shelved server of a cloud, Nova's view beside what the billing policy bills: for {@code demo}. */
public final class BilledServers {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /**
     * One server over everything loaded: {@code kind} stopped or shelved; {@code states} its hours per state; the
     * quantities as Nova counts them and as the policy bills them (rounded to one decimal, for reading).
     */
    public record Server(String kind, String instanceId, String name, String flavor, String states, BigDecimal hours,
                         BigDecimal vcpuHours, BigDecimal ramGbHours, BigDecimal diskGbHours, BigDecimal billableVcpuHours,
                         BigDecimal billableRamGbHours, BigDecimal billableDiskGbHours, String billingPolicy) {
    }

    private final Jdbi jdbi;

    public BilledServers(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The cloud's server with the most hours stopped, then the one with the most shelved; none when no timeline says so. */
    public List<Server> stoppedAndShelved(String cloudKey) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(BilledServers.class, "stoppedAndShelved"))
                .bind("key", cloudKey)
                .map((rs, ctx) -> new Server(rs.getString("kind"), rs.getString("instance_id"), rs.getString("name"),
                        rs.getString("flavor"), rs.getString("states"), rs.getBigDecimal("hours"),
                        rs.getBigDecimal("vcpu_hours"), rs.getBigDecimal("ram_gb_hours"), rs.getBigDecimal("disk_gb_hours"),
                        rs.getBigDecimal("billable_vcpu_hours"), rs.getBigDecimal("billable_ram_gb_hours"),
                        rs.getBigDecimal("billable_disk_gb_hours"), rs.getString("billing_policy")))
                .list());
    }
}

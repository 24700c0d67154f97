package org.osmetrics.report;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;
import org.osmetrics.OsMetricsException;

/**
 * The showback of a month ({@code report html}): what one cloud's projects used and cost over the last 12 months and
 * in the month itself, read from the report views only (project_usage_monthly, project_usage_daily, server_usage,
 * invoice_monthly, completeness; server_usage_by_state when the database has it), so that every number on the page
 * is one of theirs. {@link ShowbackHtml} draws it. Thread-safe (stateless over Jdbi).
 */
public final class Showback {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    /** The months of the overview, the month asked for last. */
    static final int MONTHS = 12;
    /** The servers listed per project. */
    static final int TOP_SERVERS = 10;

    /** A project's usage in a month (report.project_usage_monthly). */
    public record MonthUsage(String projectId, String projectName, String month, BigDecimal vcpuHours,
                             BigDecimal ramGbHours, BigDecimal diskGbHours, BigDecimal serverHours, long serverCount,
                             boolean provisional) {
    }

    /** A project's cost in a month and currency (report.invoice_monthly; currency null: lines without a price). */
    public record Cost(String projectId, String month, String currency, BigDecimal amount, long unpriced) {
    }

    /** A line of report.invoice_monthly for the month. */
    public record Line(String projectId, String resource, String flavor, String unit, BigDecimal quantity,
                       BigDecimal unitPrice, String currency, BigDecimal amount) {
    }

    /** A project's day (report.project_usage_daily). */
    public record Day(String projectId, LocalDate day, BigDecimal vcpuHours, BigDecimal ramGbHours,
                      BigDecimal serverHours, long serverCount) {
    }

    /** The month's usage of one flavor (report.server_usage). */
    public record Flavor(String flavor, long serverCount, BigDecimal serverHours, BigDecimal vcpuHours,
                         BigDecimal ramGbHours) {
    }

    /** One of a project's top servers in the month (report.server_usage). */
    public record Server(String projectId, String instanceId, String name, String flavors, String state,
                         BigDecimal serverHours, BigDecimal vcpuHours, BigDecimal ramGbHours) {
    }

    /** A project's hours in one state (report.server_usage_by_state). */
    public record State(String projectId, String vmState, boolean recovered, boolean stateKnown, BigDecimal serverHours,
                        BigDecimal vcpuHours) {
    }

    /**
     * Everything the page shows.
     *
     * @param months the overview's months, oldest first, the month asked for last
     * @param states the hours per state of report.server_usage_by_state (all inferred where no timeline was loaded)
     */
    public record Data(String cloud, YearMonth month, Instant from, Instant to, List<String> months,
                       List<MonthUsage> monthly, List<Cost> costs, List<Line> lines, List<Day> daily,
                       List<Flavor> flavors, List<Server> servers, List<State> states,
                       List<Completeness.Period> completeness, Instant generatedAt) {
    }

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Clock clock;

    public Showback(Jdbi jdbi, DataSource dataSource, Clock clock) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * The cloud the showback is of: {@code cloud} when given (it must exist), else the database's only cloud; with
     * several and none chosen, a usage error (exit 2) that lists them.
     */
    public String cloud(String cloud) {
        List<String> known = CloudKeys.read(dataSource);
        if (cloud != null) {
            return CloudKeys.require(cloud, known);
        }
        if (known.size() == 1) {
            return known.get(0);
        }
        throw OsMetricsException.usage(known.isEmpty() ? "report html: the database has no cloud yet"
                : "report html: " + known.size() + " clouds in the database (" + String.join(", ", known)
                        + "): --cloud KEY picks the one to show");
    }

    /** Reads the month of the cloud (a key of {@link #cloud(String)}). */
    public Data read(YearMonth month, String cloud) {
        BillingMonth.Range range = BillingMonth.of(dataSource, month, cloud);
        List<String> months = new ArrayList<>();
        for (int i = MONTHS - 1; i >= 0; i--) {
            months.add(month.minusMonths(i).toString());
        }
        List<Completeness.Period> completeness = new Completeness(jdbi).month(month.toString(), cloud);
        return jdbi.withHandle(handle -> {
            List<MonthUsage> monthly = query(handle, "monthly", cloud, months, month, range)
                    .map((rs, ctx) -> new MonthUsage(rs.getString("project_id"), rs.getString("project_name"),
                            rs.getString("month"), rs.getBigDecimal("vcpu_hours"), rs.getBigDecimal("ram_gb_hours"),
                            rs.getBigDecimal("disk_gb_hours"), rs.getBigDecimal("server_hours"), rs.getLong("server_count"),
                            rs.getBoolean("provisional"))).list();
            List<Cost> costs = query(handle, "costs", cloud, months, month, range)
                    .map((rs, ctx) -> new Cost(rs.getString("project_id"), rs.getString("month"), rs.getString("currency"),
                            rs.getBigDecimal("amount"), rs.getLong("unpriced"))).list();
            List<Line> lines = query(handle, "lines", cloud, months, month, range)
                    .map((rs, ctx) -> new Line(rs.getString("project_id"), rs.getString("resource"), rs.getString("flavor"),
                            rs.getString("unit"), rs.getBigDecimal("quantity"), rs.getBigDecimal("unit_price"),
                            rs.getString("currency"), rs.getBigDecimal("amount"))).list();
            List<Day> daily = query(handle, "daily", cloud, months, month, range)
                    .map((rs, ctx) -> new Day(rs.getString("project_id"), rs.getObject("day", LocalDate.class),
                            rs.getBigDecimal("vcpu_hours"), rs.getBigDecimal("ram_gb_hours"),
                            rs.getBigDecimal("server_hours"), rs.getLong("server_count"))).list();
            List<Flavor> flavors = query(handle, "flavors", cloud, months, month, range)
                    .map((rs, ctx) -> new Flavor(rs.getString("flavor"), rs.getLong("server_count"),
                            rs.getBigDecimal("server_hours"), rs.getBigDecimal("vcpu_hours"),
                            rs.getBigDecimal("ram_gb_hours"))).list();
            List<Server> servers = query(handle, "servers", cloud, months, month, range)
                    .map((rs, ctx) -> new Server(rs.getString("project_id"), rs.getString("instance_id"),
                            rs.getString("name"), rs.getString("flavors"), rs.getString("state"),
                            rs.getBigDecimal("server_hours"), rs.getBigDecimal("vcpu_hours"),
                            rs.getBigDecimal("ram_gb_hours"))).list();
            List<State> states = query(handle, "states", cloud, months, month, range)
                    .map((rs, ctx) -> new State(rs.getString("project_id"), rs.getString("vm_state"),
                            rs.getBoolean("recovered"), rs.getBoolean("state_known"), rs.getBigDecimal("server_hours"),
                            rs.getBigDecimal("vcpu_hours"))).list();
            return new Data(cloud, month, range.from(), range.to(), List.copyOf(months), monthly, costs, lines, daily,
                    flavors, servers, states, completeness, clock.instant());
        });
    }

    /** A statement of this class with every parameter any of them takes (unused ones are not bound). */
    private static Query query(Handle handle, String name, String cloud, List<String> months,
                                                           YearMonth month, BillingMonth.Range range) {
        return handle.createQuery(SQL.locate(Showback.class, name))
                .bind("cloud", cloud)
                .bindArray("months", String.class, months)
                .bind("month", month.toString())
                .bind("from", range.from().atOffset(ZoneOffset.UTC))
                .bind("to", range.to().atOffset(ZoneOffset.UTC))
                .bind("top", TOP_SERVERS)
                .configure(SqlStatements.class, statements -> statements.setUnusedBindingAllowed(true));
    }

    /** Writes the page to {@code out} at once (never half a file); returns the data drawn. */
    public Data write(YearMonth month, String cloud, Path out) {
        Data data = read(month, cloud);
        String html = new ShowbackHtml(data).render();
        AtomicFile.write(out, writer -> {
            writer.write(html);
            return null;
        });
        return data;
    }

    static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}

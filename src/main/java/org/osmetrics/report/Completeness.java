package org.osmetrics.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;

/**
 * The completeness of billing periods (report.completeness): the check every priced output (invoices, exports of
 * invoice_monthly) makes first. Only a {@code complete} month is final. Thread-safe (stateless over Jdbi).
 */
public final class Completeness {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** How many periods not complete the refusal names before "and N more". */
    static final int NAMED = 5;

    private static final String MONTHS = SQL.locate(Completeness.class, "months");

    /** One project's month. */
    public record Period(String cloud, String projectId, String projectName, String label, Instant start, Instant end,
                         String status, String missing) {
        public boolean complete() {
            return "complete".equals(status);
        }

        /** What the refusal groups by: the same month, status and missing ranges for several projects. */
        String problem() {
            return status + (missing == null ? "" : ", missing " + missing)
                    + ("provisional".equals(status) ? " (windows still open or extracted while open)" : "")
                    + ("not_expected".equals(status) ? " (before the cloud's billing start)" : "");
        }

        String who() {
            String name = projectName == null ? null : projectName.replaceAll("\\p{Cntrl}+", " ").strip();
            return name == null || name.isEmpty() ? projectId : projectId + " (" + name + ")";
        }
    }

    private final Jdbi jdbi;

    public Completeness(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The months whose start is in {@code [from, to)} (null: unbounded) of the given cloud (null: all) and
     * projects (ids or names; empty: all), per project.
     */
    public List<Period> months(Instant from, Instant to, String cloud, List<String> projects) {
        return jdbi.withHandle(handle -> handle.createQuery(MONTHS)
                .bind("from", from == null ? null : from.atOffset(ZoneOffset.UTC))
                .bind("to", to == null ? null : to.atOffset(ZoneOffset.UTC))
                .bind("cloud", cloud)
                .bindArray("projects", String.class, projects == null ? List.of() : projects)
                .map((rs, ctx) -> new Period(rs.getString("cloud"), rs.getString("project_id"), rs.getString("project_name"),
                        rs.getString("label"), rs.getObject("period_start", OffsetDateTime.class).toInstant(),
                        rs.getObject("period_end", OffsetDateTime.class).toInstant(), rs.getString("status"),
                        rs.getString("missing")))
                .list());
    }

    /** Every project's month of that label ({@code YYYY-MM}, in each cloud's billing zone) of a cloud (null: all). */
    public List<Period> month(String label, String cloud) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Completeness.class, "month"))
                .bind("label", label).bind("cloud", cloud)
                .map((rs, ctx) -> new Period(rs.getString("cloud"), rs.getString("project_id"), rs.getString("project_name"),
                        rs.getString("label"), rs.getObject("period_start", OffsetDateTime.class).toInstant(),
                        rs.getObject("period_end", OffsetDateTime.class).toInstant(), rs.getString("status"),
                        rs.getString("missing")))
                .list());
    }

    /**
     * Refuses (exit 7) when any of {@code periods} is not complete, naming them and their missing ranges.
     *
     * @param what what was asked for, e.g. "export of invoice_monthly"
     */
    private static String monthOf(Period period, boolean withCloud) {
        return period.label() + (withCloud ? " of " + period.cloud() : "");
    }

    public static void requireComplete(List<Period> periods, String what) {
        List<Period> open = periods.stream().filter(p -> !p.complete()).toList();
        if (open.isEmpty()) {
            return;
        }
        // one entry per month and problem, naming its projects: a gap of the cloud is the same for all of them
        Map<String, List<Period>> groups = open.stream().collect(Collectors.groupingBy(
                p -> p.cloud() + " " + p.label() + " is " + p.problem(), LinkedHashMap::new, Collectors.toList()));
        boolean manyClouds = open.stream().map(Period::cloud).distinct().count() > 1;
        String named = groups.entrySet().stream().limit(NAMED).map(e -> monthOf(e.getValue().get(0), manyClouds) + " is " + e.getValue().get(0).problem()
                + " for " + e.getValue().stream().map(Period::who).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        throw new OsMetricsException(ExitCode.RECONCILIATION, what + " refused: a period asked for is not complete: "
                + named + (groups.size() > NAMED ? "; and " + (groups.size() - NAMED) + " more" : "")
                + ". Load what is missing (backfill), wait for the open windows to close, set the cloud's billing start"
                + " (clouds set), or use --allow-incomplete to issue it marked incomplete");
    }
}

package org.osmetrics.report;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osmetrics.OsMetricsException;

/**
 * The reports {@code os-metrics export} can write: one entry per view of {@code sql-reports/}. Each report's
 * statement and filters are in {@code ReportExporter/<name>.sql} and {@code ReportExporter/<name>/}: time filters
 * keep the rows whose period (window, day, month, extracted range) starts in {@code [from, to)}; coverage
 * keeps the periods that overlap it. They are written on the columns that let PostgreSQL read only the
 * partitions of the fact table concerned. Immutable and thread-safe.
 */
public final class ReportCatalog {

    /** The FOCUS 1.1 export (README, "Exports for spreadsheets and FinOps tools"): FOCUS's column names. */
    static final String FOCUS = "focus";

    private static final List<ReportDefinition> REPORTS = List.of(
            new ReportDefinition("server_usage", "report.server_usage",
                    "per server and window: the old script's CSV columns, project, window, cloud", null),
            new ReportDefinition("project_usage_daily", "report.project_usage_daily",
                    "per project and day (billing time zone): vCPU, RAM GiB, disk GB and server hours, server count", null),
            new ReportDefinition("project_usage_monthly", "report.project_usage_monthly",
                    "per project and month (billing time zone): vCPU, RAM GiB, disk GB and server hours, server count", null),
            new ReportDefinition("server_usage_by_state", "report.server_usage_by_state",
                    "per server, window and state it was in (timelines): Nova's hours divided exactly, recovered hours apart",
                    null),
            new ReportDefinition("tenant_usage_document", "report.tenant_usage_document",
                    "per project and extracted range: the old script's JSON document", "document"),
            new ReportDefinition("coverage", "report.coverage",
                    "per cloud and scope: periods of windows loaded, provisional or missing", null),
            new ReportDefinition("reconciliation", "report.reconciliation",
                    "per project and extracted range: Nova's totals, ours, the differences", null),
            new ReportDefinition("invoice_monthly", "report.invoice_monthly",
                    "per project, month (billing time zone) and price in force: quantity x unit price = amount, the month's completeness",
                    null),
            new ReportDefinition(FOCUS, "report.focus",
                    "priced usage as FOCUS 1.1 charges: per month, project, server, resource and price (FinOps tools)", null),
            new ReportDefinition("customer_monthly", "report.customer_monthly",
                    "per customer and month (billing time zone): usage and invoiced amount, per currency", null),
            new ReportDefinition("cost_centre_monthly", "report.cost_centre_monthly",
                    "per cost centre and month (billing time zone): usage and invoiced amount, per currency", null),
            new ReportDefinition("domain_monthly", "report.domain_monthly",
                    "per Keystone domain and month (billing time zone): usage and invoiced amount, per currency", null),
            new ReportDefinition("server_usage_billable", "report.server_usage_billable",
                    "per server, window and state: quantities and what the billing policy bills of them", null),
            new ReportDefinition("project_billable_daily", "report.project_billable_daily",
                    "per project, day (billing time zone) and state: quantities and what the billing policy bills", null),
            new ReportDefinition("project_billable_monthly", "report.project_billable_monthly",
                    "per project, month (billing time zone) and state: quantities and what the billing policy bills", null));

    private ReportCatalog() {
    }

    /**
     * The priced reports: an export of one is refused (exit 7) for a month that is not complete unless
     * {@code --allow-incomplete} (see {@link Completeness}); usage reports are never refused.
     */
    private static final java.util.Set<String> PRICED = java.util.Set.of("invoice_monthly", FOCUS);

    public static boolean isPriced(ReportDefinition report) {
        return PRICED.contains(report.name());
    }

    /**
     * The columns the {@link CsvDialect#EXCEL excel} dialect rounds to {@link CsvDialect#QUANTITY_SCALE} decimals:
     * a priced report's quantity (its amount is already in minor units); none in any other report, so server_usage
     * keeps Nova's numbers.
     */
    public static java.util.Set<String> spreadsheetRounded(ReportDefinition report) {
        // FOCUS's quantities stay exact: ListUnitPrice x PricingQuantity must give ListCost
        return isPriced(report) && !report.name().equals(FOCUS) ? java.util.Set.of("quantity") : java.util.Set.of();
    }

    public static List<ReportDefinition> all() {
        return REPORTS;
    }

    public static Optional<ReportDefinition> find(String name) {
        return REPORTS.stream().filter(report -> report.name().equals(name)).findFirst();
    }

    /** The report of that name, or a usage error that lists the valid names. */
    public static ReportDefinition require(String name) {
        return find(name).orElseThrow(() -> OsMetricsException.usage("unknown report '" + name + "'; valid reports: "
                + names()));
    }

    public static String names() {
        return REPORTS.stream().map(ReportDefinition::name).collect(Collectors.joining(", "));
    }
}

package org.osmetrics.extract;

/**
 * The totals Nova reported for one tenant on one page. From microversion 2.40 a tenant's servers can
 * straddle pages and each page's totals cover only that page's servers ({@code serverCount} of them, in
 * order); keeping them per page lets reconciliation reproduce Nova's double sums bit for bit.
 */
public record PageTotals(
        int serverCount,
        double totalHours,
        double totalVcpusUsage,
        double totalMemoryMbUsage,
        double totalLocalGbUsage) {
}

package org.osmetrics.extract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One project's usage over one extracted range, merged across pages.
 *
 * @param servers    every server row in API order (pages concatenated)
 * @param pageTotals the totals of each page this tenant appeared on, in page order
 * @param start      the range start Nova echoed
 * @param stop       the range end Nova echoed (clamped to Nova's "now" for an open range)
 */
public record TenantUsage(
        String tenantId,
        List<ServerUsage> servers,
        List<PageTotals> pageTotals,
        Instant start,
        Instant stop) {

    public TenantUsage {
        Objects.requireNonNull(tenantId, "tenantId");
        servers = List.copyOf(servers);
        pageTotals = List.copyOf(pageTotals);
    }

    /** Nova's merged totals: the page totals summed in page order, as novaclient merges them. */
    public PageTotals mergedTotals() {
        int count = 0;
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (PageTotals page : pageTotals) {
            count += page.serverCount();
            hours += page.totalHours();
            vcpus += page.totalVcpusUsage();
            memory += page.totalMemoryMbUsage();
            disk += page.totalLocalGbUsage();
        }
        return new PageTotals(count, hours, vcpus, memory, disk);
    }
}

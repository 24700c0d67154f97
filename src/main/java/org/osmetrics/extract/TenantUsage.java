package org.osmetrics.extract;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One project's usage over one extracted range, merged across pages.
 *
 * @param servers    every server row in API order (pages concatenated)
 * @param pageTotals the totals of each page this tenant appeared on, in page order
 * @param pageStops  the range end each of those pages echoed, in page order: Nova clamps the end of a range
 *                   that is still open to its own "now" at every request, so the pages of one open range carry
 *                   different stops, and a running server's hours run to the stop of its own page
 * @param start      the range start Nova echoed
 */
public record TenantUsage(
        String tenantId,
        List<ServerUsage> servers,
        List<PageTotals> pageTotals,
        List<Instant> pageStops,
        Instant start) {

    public TenantUsage {
        Objects.requireNonNull(tenantId, "tenantId");
        servers = List.copyOf(servers);
        pageTotals = List.copyOf(pageTotals);
        pageStops = List.copyOf(pageStops);
        if (pageStops.size() != pageTotals.size()) {
            throw new IllegalArgumentException("tenant " + tenantId + ": " + pageTotals.size() + " page totals but "
                    + pageStops.size() + " page stops");
        }
    }

    /** A tenant whose pages all echoed the same stop: one request, or an archived document. */
    public TenantUsage(String tenantId, List<ServerUsage> servers, List<PageTotals> pageTotals, Instant start,
            Instant stop) {
        this(tenantId, servers, pageTotals, Collections.nCopies(pageTotals.size(), Objects.requireNonNull(stop, "stop")),
                start);
    }

    /** The latest stop Nova echoed for this tenant (its last page's). */
    public Instant stop() {
        return pageStops.isEmpty() ? null : pageStops.get(pageStops.size() - 1);
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

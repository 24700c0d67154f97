package org.osmetrics.extract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one extraction of one range returned: the unit that the load stage commits in one
 * transaction.
 *
 * @param start               the requested (and echoed) range start, on the window grid
 * @param requestedEnd        the requested range end, on the window grid
 * @param stop                the end Nova answered for: equal to {@code requestedEnd} for a closed range,
 *                            earlier when Nova clamped it to its "now"; the earliest of the pages' stops
 *                            (each page of an open range has its own), so a window ending by it is closed
 *                            for every server of the range
 * @param extractedAt         when the first page was requested
 * @param provisional         true when the range was still open ({@code requestedEnd} after the extraction began)
 * @param microversion        the compute microversion used ("2.1", "2.40", ...)
 * @param truncationSuspected true when below 2.40 a response held exactly {@code max_limit} servers
 * @param tenants             per project, in API order
 * @param rawPages            every response body, for audit
 */
public record UsageExtraction(
        Scope scope,
        Instant start,
        Instant requestedEnd,
        Instant stop,
        Instant extractedAt,
        boolean provisional,
        String microversion,
        boolean truncationSuspected,
        List<TenantUsage> tenants,
        List<RawPage> rawPages) {

    public UsageExtraction {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(requestedEnd, "requestedEnd");
        Objects.requireNonNull(stop, "stop");
        tenants = List.copyOf(tenants);
        rawPages = List.copyOf(rawPages);
    }

    public int serverCount() {
        return tenants.stream().mapToInt(t -> t.servers().size()).sum();
    }
}

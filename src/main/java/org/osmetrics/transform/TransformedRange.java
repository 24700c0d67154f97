package org.osmetrics.transform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;

/**
 * One extracted range, split over the window grid and checked against Nova's own figures: the unit the
 * load stage commits in one transaction. Its facts (one per server and window with usage) are not held:
 * {@link #forEachFact} makes them from the servers' spans as they are read, so memory follows the servers
 * of the range, not the servers times its windows (a 30-day hourly range of 10,000 servers is 7.2 M facts).
 *
 * @param windowStarts    every window of the requested range, in order
 * @param servers         each server once (first row kept), only those with a valid UUID
 * @param spans           the life inside the range of each server with usage in it, in the order of
 *                        {@code servers}: each span gives one fact per window it meets
 * @param factCount       how many facts the spans give, at most one per (server, window)
 * @param reconciliations one per project of the extraction
 * @param anomalies       everything that did not add up
 */
public record TransformedRange(
        UsageExtraction extraction,
        WindowGrid grid,
        List<Instant> windowStarts,
        List<ServerUsage> servers,
        List<ServerSpan> spans,
        long factCount,
        List<Reconciliation> reconciliations,
        List<Anomaly> anomalies) {

    public TransformedRange {
        windowStarts = List.copyOf(windowStarts);
        servers = List.copyOf(servers);
        spans = List.copyOf(spans);
        reconciliations = List.copyOf(reconciliations);
        anomalies = List.copyOf(anomalies);
    }

    /** True when nothing disagreed with the source: no anomaly of any kind. */
    public boolean reconciled() {
        return anomalies.isEmpty();
    }

    /** Every fact, server by server in the order of {@link #spans}, each server's windows in order. */
    public void forEachFact(Consumer<WindowFact> action) {
        for (ServerSpan span : spans) {
            UsageTransform.facts(span, grid.floor(span.from()), span.to(), extraction, grid, action);
        }
    }

    /**
     * The facts of the windows starting in {@code [from, to)} (both on the grid), server by server in the order
     * of {@link #spans}: a slice of {@link #forEachFact}, made without making the others.
     */
    public void forEachFact(Instant from, Instant to, Consumer<WindowFact> action) {
        for (ServerSpan span : spans) {
            Instant first = grid.floor(span.from());
            Instant start = first.isBefore(from) ? from : first;
            Instant end = span.to().isAfter(to) ? to : span.to();
            if (start.isBefore(end)) {
                UsageTransform.facts(span, start, end, extraction, grid, action);
            }
        }
    }

    /**
     * All the facts in one list, in the order of {@link #forEachFact}: for tests and small ranges only (a long
     * range of many servers does not fit in memory this way; the load reads them with forEachFact).
     */
    public List<WindowFact> facts() {
        List<WindowFact> facts = new ArrayList<>((int) Math.min(factCount, Integer.MAX_VALUE - 8));
        forEachFact(facts::add);
        return facts;
    }
}

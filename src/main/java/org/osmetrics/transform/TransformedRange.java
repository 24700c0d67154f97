package org.osmetrics.transform;

import java.time.Instant;
import java.util.List;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.UsageExtraction;

/**
 * One extracted range, split over the window grid and checked against Nova's own figures: the unit the
 * load stage commits in one transaction.
 *
 * @param windowStarts    every window of the requested range, in order
 * @param servers         each server once (first row kept), only those with a valid UUID
 * @param facts           one row per server and window with usage, at most one per (server, window)
 * @param reconciliations one per project of the extraction
 * @param anomalies       everything that did not add up
 */
public record TransformedRange(
        UsageExtraction extraction,
        WindowGrid grid,
        List<Instant> windowStarts,
        List<ServerUsage> servers,
        List<WindowFact> facts,
        List<Reconciliation> reconciliations,
        List<Anomaly> anomalies) {

    public TransformedRange {
        windowStarts = List.copyOf(windowStarts);
        servers = List.copyOf(servers);
        facts = List.copyOf(facts);
        reconciliations = List.copyOf(reconciliations);
        anomalies = List.copyOf(anomalies);
    }

    /** True when nothing disagreed with the source: no anomaly of any kind. */
    public boolean reconciled() {
        return anomalies.isEmpty();
    }
}

package org.osmetrics.load;

import java.time.Instant;

/**
 * What loading one extracted range did.
 *
 * @param rows         fact rows inserted or changed (0 for an idempotent re-run of a closed range)
 * @param restatements differences from the recorded closed windows logged by this load
 * @param anomalies    things that did not add up (see {@code metrics.anomaly})
 * @param reconciled   true when every project's totals matched Nova's and nothing else disagreed
 */
public record LoadResult(
        Instant start,
        Instant end,
        boolean provisional,
        int windows,
        int servers,
        long rows,
        long restatements,
        int anomalies,
        boolean reconciled) {
}

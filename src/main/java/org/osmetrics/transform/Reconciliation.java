package org.osmetrics.transform;

import org.osmetrics.extract.PageTotals;

/**
 * One project's totals for one range: Nova's (pages merged in page order) next to ours (each page's rows
 * re-summed in API order as IEEE doubles from 0.0, as Nova does, then merged the same way).
 *
 * @param matches true when every page's totals and server count agree bit for bit
 */
public record Reconciliation(String projectId, PageTotals nova, PageTotals ours, boolean matches) {
}

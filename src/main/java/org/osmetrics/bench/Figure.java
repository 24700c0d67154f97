package org.osmetrics.bench;

/**
 * One line of the benchmark's table.
 *
 * @param stage        what was measured
 * @param rows         rows (or server records) handled
 * @param seconds      wall-clock seconds
 * @param memory       the stage's memory figures
 * @param dbBytes      bytes of the fact table (all partitions, indexes, TOAST) after the stage, or -1
 * @param dbRows       the rows in the fact table then (for bytes per million rows), or 0
 * @param reference    the stage whose rows/s this one is compared to, or null
 * @param note         anything else worth knowing (vacuum state, cold/warm, ...)
 */
record Figure(String stage, long rows, double seconds, Meter.Sample memory, long dbBytes, long dbRows, String reference,
        String note) {

    double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }

    Figure withReference(String referenceStage) {
        return new Figure(stage, rows, seconds, memory, dbBytes, dbRows, referenceStage, note);
    }

    Figure withNote(String text) {
        return new Figure(stage, rows, seconds, memory, dbBytes, dbRows, reference, text);
    }
}

package org.osmetrics.report;

/** The output formats of {@code os-metrics export}. */
public enum ExportFormat {
    /** RFC 4180 CSV, UTF-8, a header row; text cells that would start a formula are neutralised. */
    CSV,
    /** One JSON array, one row (object) per line. */
    JSON,
    /** JSON lines: one JSON value per line, nothing around them. */
    JSONL
}

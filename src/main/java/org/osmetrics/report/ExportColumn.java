package org.osmetrics.report;

/** One column of an export: its name (the header) and how its values are read and written. */
record ExportColumn(String name, ColumnKind kind) {
}

package org.osmetrics.report;

import java.util.Objects;

/**
 * One report of the catalogue: a view of schema {@code report}. How the export filters and orders it is SQL in
 * {@code ReportExporter/<name>.sql} and its filters in {@code ReportExporter/<name>/} (see {@link ReportExporter}).
 *
 * @param name           the name users type ({@code --report})
 * @param view           the view, schema-qualified
 * @param description    one line for {@code --help} and the error listing the reports
 * @param documentColumn for a document report, the JSON column that is the whole JSON output of a row
 */
public record ReportDefinition(
        String name,
        String view,
        String description,
        String documentColumn) {

    public ReportDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(description, "description");
    }

    /** True when each row's JSON output is its document column alone (the old script's files). */
    public boolean isDocument() {
        return documentColumn != null;
    }
}

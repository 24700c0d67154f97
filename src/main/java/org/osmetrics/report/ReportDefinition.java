package org.osmetrics.report;

import java.util.Objects;

/**
 * One report of the catalogue: a view of schema {@code report} and how the export filters and orders it.
 * The filter fragments are SQL with the named parameters {@code :from}, {@code :to} and {@code :projects}
 * (bound, never concatenated); null when the report cannot be filtered that way.
 *
 * @param name           the name users type ({@code --report})
 * @param view           the view, schema-qualified
 * @param description    one line for {@code --help} and the error listing the reports
 * @param fromFilter     rows at or after {@code :from}
 * @param toFilter       rows before {@code :to}
 * @param projectFilter  rows of the projects in {@code :projects} (ids or names)
 * @param orderBy        a stable order for the output
 * @param documentColumn for a document report, the JSON column that is the whole JSON output of a row
 */
public record ReportDefinition(
        String name,
        String view,
        String description,
        String fromFilter,
        String toFilter,
        String projectFilter,
        String orderBy,
        String documentColumn) {

    public ReportDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(orderBy, "orderBy");
    }

    /** True when each row's JSON output is its document column alone (the old script's files). */
    public boolean isDocument() {
        return documentColumn != null;
    }
}

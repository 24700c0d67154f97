package org.osmetrics.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.osmetrics.OsMetricsException;

/**
 * What to export: a report, optionally limited in time ({@code [from, to)}, UTC), to some projects (ids or
 * names) and to one cloud (its key; null: every cloud), in one format.
 */
public record ExportRequest(ReportDefinition report, Instant from, Instant to, List<String> projects, String cloud,
        ExportFormat format) {

    public ExportRequest {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(format, "format");
        projects = projects == null ? List.of() : List.copyOf(projects);
        if (from != null && to != null && !from.isBefore(to)) {
            throw OsMetricsException.usage("--from " + from + " must be before --to " + to);
        }
        if (cloud != null && cloud.isBlank()) {
            throw OsMetricsException.usage("--cloud needs a cloud key, as 'os-metrics status' shows it");
        }
    }

    /** Every cloud's rows. */
    public ExportRequest(ReportDefinition report, Instant from, Instant to, List<String> projects, ExportFormat format) {
        this(report, from, to, projects, null, format);
    }
}

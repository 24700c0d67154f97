package org.osmetrics.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.osmetrics.OsMetricsException;

/**
 * What to export: a report, optionally limited in time ({@code [from, to)}, UTC), to some projects (ids or
 * names) and to one cloud (its key; null: every cloud), in one format; a CSV in a dialect and with a delimiter
 * (see {@link #DELIMITERS}).
 */
public record ExportRequest(ReportDefinition report, Instant from, Instant to, List<String> projects, String cloud,
        ExportFormat format, CsvDialect dialect, char delimiter) {
    /** The delimiters a CSV may have: comma (the default), semicolon (continental locales), tab, pipe, colon. */
    public static final String DELIMITERS = ",;\t|:";

    public ExportRequest {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(dialect, "dialect");
        projects = projects == null ? List.of() : List.copyOf(projects);
        if (from != null && to != null && !from.isBefore(to)) {
            throw OsMetricsException.usage("--from " + from + " must be before --to " + to);
        }
        if (cloud != null && cloud.isBlank()) {
            throw OsMetricsException.usage("--cloud needs a cloud key, as 'os-metrics status' shows it");
        }
        if (DELIMITERS.indexOf(delimiter) < 0) {
            throw OsMetricsException.usage("--delimiter must be one of , ; | : or tab");
        }
        if (format != ExportFormat.CSV && (dialect != CsvDialect.RFC4180 || delimiter != ',')) {
            throw OsMetricsException.usage("--csv-dialect and --delimiter apply to --format csv only");
        }
    }

    /** The default CSV: RFC 4180, comma. */
    public ExportRequest(ReportDefinition report, Instant from, Instant to, List<String> projects, String cloud,
            ExportFormat format) {
        this(report, from, to, projects, cloud, format, CsvDialect.RFC4180, ',');
    }

    /** Every cloud's rows. */
    public ExportRequest(ReportDefinition report, Instant from, Instant to, List<String> projects, ExportFormat format) {
        this(report, from, to, projects, null, format);
    }
}

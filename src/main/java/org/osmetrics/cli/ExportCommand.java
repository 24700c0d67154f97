package org.osmetrics.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.report.AtomicFile;
import org.osmetrics.report.BillingMonth;
import org.osmetrics.report.CloudKeys;
import org.osmetrics.report.Completeness;
import org.osmetrics.report.CsvDialect;
import org.osmetrics.report.ExportFormat;
import org.osmetrics.report.ExportRequest;
import org.osmetrics.report.ReportCatalog;
import org.osmetrics.report.ReportDefinition;
import org.osmetrics.report.ReportExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code os-metrics export}: any report view to CSV, JSON or JSON lines, streamed. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a report view to CSV (spreadsheet-safe), JSON or JSON lines, streamed in constant memory.",
            "Reports: server_usage, project_usage_daily, project_usage_monthly, tenant_usage_document, coverage, "
                + "reconciliation, invoice_monthly, focus (FOCUS 1.1 for FinOps tools), customer_monthly, cost_centre_monthly,"
                + " domain_monthly (see README, \"Reports\")."})
final class ExportCommand implements Runnable {
    /** {@code --out -}: standard output, as for most Unix tools (write to {@code ./-} for a file of that name). */
    private static final String STANDARD_OUTPUT = "-";

    @Option(names = "--report", required = true, paramLabel = "NAME", description = "The report (view) to export.")
    String report;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
            description = "Rows whose window, day, month or range starts at or after TIME (UTC); coverage: periods ending after it.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
            description = "Rows whose window, day, month or range starts before TIME (exclusive); coverage: periods starting before it.")
    Instant to;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "Instead of --from/--to: that month in the cloud's billing time zone (UTC unless set; as"
                    + " invoice --month). With several clouds in different zones, --cloud picks one.")
    String month;

    @Option(names = "--project", paramLabel = "PROJECT",
            description = "Only this project (id or name); repeat for several.")
    List<String> projects;

    @Option(names = "--cloud", paramLabel = "KEY",
            description = "Only this cloud's rows, by its key (Keystone's host, port and region, as 'status' and the"
                    + " reports' cloud column show it). Default: every cloud (with several, a note on stderr says so).")
    String cloud;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", converter = FormatConverter.class,
            description = "csv (RFC 4180, UTF-8, header row), json (an array) or jsonl (one value per line). Default: ${DEFAULT-VALUE}.")
    ExportFormat format;

    @Option(names = "--csv-dialect", paramLabel = "DIALECT", defaultValue = "rfc4180", converter = DialectConverter.class,
            description = "rfc4180 (no byte-order mark, numbers as computed) or excel (UTF-8 byte-order mark, so"
                    + " spreadsheets read non-ASCII names; a priced report's quantity rounded to "
                    + CsvDialect.QUANTITY_SCALE + " decimals). Default: ${DEFAULT-VALUE}.")
    CsvDialect dialect;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", converter = DelimiterConverter.class,
            description = "Between CSV cells: , (default) ; (continental locales) | : or tab.")
    char delimiter;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write to FILE, atomically (complete or untouched); default or '-': standard output.")
    Path out;

    @Option(names = "--allow-incomplete",
            description = "Export a priced report (invoice_monthly, focus) even for months that are not complete (every line"
                    + " carries its completeness). Without it such an export is refused with exit 7.")
    boolean allowIncomplete;

    @Mixin
    QuietOption quiet;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ReportDefinition definition = ReportCatalog.require(report);
        if (month != null && (from != null || to != null)) {
            throw OsMetricsException.usage("--month cannot be combined with --from or --to");
        }
        YearMonth period = month == null ? null : InvoiceCommand.month(month);
        ExportRequest request = new ExportRequest(definition, from, to, projects, cloud, format, dialect, delimiter);
        PrintWriter err = spec.commandLine().getErr();
        try (Database db = database.openMigrated()) {
            List<String> clouds = CloudKeys.read(db.dataSource());
            if (cloud != null) {
                CloudKeys.require(cloud, clouds);
            }
            if (period != null) {
                BillingMonth.Range range = BillingMonth.of(db.dataSource(), period, cloud);
                request = new ExportRequest(definition, range.from(), range.to(), projects, cloud, format, dialect,
                        delimiter);
            }
            if (ReportCatalog.isPriced(definition) && !allowIncomplete) {
                // before anything is written: a priced output is only made of complete months
                Completeness.requireComplete(new Completeness(db.jdbi()).months(request.from(), request.to(), cloud,
                        projects), "export of " + definition.name());
            }
            if (cloud == null && CloudKeys.allCloudsNote(clouds) != null && !quiet.on()) {
                err.println("export: " + CloudKeys.allCloudsNote(clouds));
                err.flush();
            }
            export(db, request, err);
        }
    }

    private void export(Database db, ExportRequest request, PrintWriter err) {
        ReportDefinition definition = request.report();
        try (Progress progress = Progress.start("export " + definition.name(), "rows", -1, err, quiet.on())) {
            ReportExporter exporter = new ReportExporter(db.dataSource());
            if (out != null && !STANDARD_OUTPUT.equals(out.toString())) {
                AtomicFile.writeBytes(out, stream -> exporter.export(request, stream, progress::advance));
                return;
            }
            PrintWriter stdout = spec.commandLine().getOut();
            try {
                exporter.export(request, stdout, progress::advance);
            } catch (IOException e) {
                throw OsMetricsException.usage("cannot write to standard output: " + e.getMessage());
            }
            stdout.flush();
        }
    }

    static final class FormatConverter implements ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            try {
                return ExportFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format (use csv, json or jsonl)");
            }
        }
    }

    static final class DialectConverter implements ITypeConverter<CsvDialect> {
        @Override
        public CsvDialect convert(String value) {
            try {
                return CsvDialect.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a CSV dialect (use rfc4180 or excel)");
            }
        }
    }

    /** One character; {@code tab} or {@code \t} for a tab (a shell passes a real tab badly). */
    static final class DelimiterConverter implements ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            if (value.equalsIgnoreCase("tab") || value.equals("\\t")) {
                return '\t';
            }
            if (value.length() != 1 || ExportRequest.DELIMITERS.indexOf(value.charAt(0)) < 0) {
                throw new TypeConversionException("'" + value + "' is not a delimiter (use , ; | : or tab)");
            }
            return value.charAt(0);
        }
    }
}

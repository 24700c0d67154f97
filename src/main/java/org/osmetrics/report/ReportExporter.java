package org.osmetrics.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.osmetrics.OsMetricsException;

/**
 * Streams one report view to an output in constant memory: the rows come through a server-side cursor
 * (autocommit off, a fetch size) and are written as they arrive. Each report's statement is a file
 * ({@code ReportExporter/<report>.sql}) whose filters are the report's named fragments, picked by Jdbi's
 * {@code <define>}s ({@link #statement}); their values are named parameters bound by Jdbi.
 * {@code server_usage} (the big one) is joined and sorted in chunks in Java ({@link ServerUsageExport}).
 * Thread-safe (no state between exports).
 */
public final class ReportExporter {
    /** Rows fetched from the server at a time. */
    static final int FETCH_SIZE = 2_000;
    /** Progress is reported every so many rows. */
    static final int PROGRESS_EVERY = 10_000;
    /** Distinct timestamp texts remembered per export (bounded: memory stays constant). */
    static final int TIME_CACHE = 1 << 16;
    static final String SERVER_USAGE = "server_usage";
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Jdbi jdbi;
    /** Rows a chunk of server_usage's CSV aims at; 0: through the view's rows, as the other reports. */
    private final int serverUsageChunkRows;

    public ReportExporter(DataSource dataSource) {
        this(dataSource, ServerUsageExport.CHUNK_ROWS);
    }

    /** For tests: {@code serverUsageChunkRows} 0 exports server_usage's CSV through its rows, as the other reports. */
    ReportExporter(DataSource dataSource, int serverUsageChunkRows) {
        this.jdbi = Jdbi.create(dataSource);
        this.serverUsageChunkRows = serverUsageChunkRows;
    }

    /**
     * Writes the report's rows to {@code out} (UTF-8; flushed, not closed) and returns how many were written.
     *
     * @param rowsDone told the number of rows written since its last call, every {@value #PROGRESS_EVERY} rows
     *                 and at the end
     */
    public long export(ExportRequest request, OutputStream out, LongConsumer rowsDone) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long written = export(request, writer, rowsDone);
        writer.flush();
        return written;
    }

    /** As {@link #export(ExportRequest, OutputStream, LongConsumer)}, to a character stream. */
    public long export(ExportRequest request, Writer out, LongConsumer rowsDone) throws IOException {
        ExportStatement statement = statement(request);   // refuses a filter the report does not have, before any connection
        if (serverUsageChunkRows > 0 && request.report().name().equals(SERVER_USAGE)) {
            return exportServerUsage(request, statement, out, rowsDone);
        }
        return exportView(request, statement, out, rowsDone);
    }

    /**
     * server_usage without sorting the view in PostgreSQL (see {@link ServerUsageExport}): the same rows in the
     * same order, in one REPEATABLE READ snapshot. A role that reads only the report schema goes through the view.
     */
    private long exportServerUsage(ExportRequest request, ExportStatement statement, Writer out, LongConsumer rowsDone)
            throws IOException {
        try (Handle handle = jdbi.open()) {
            if (!handle.createQuery(ServerUsageExport.CAN_READ_TABLES).mapTo(Boolean.class).one()) {
                return exportView(request, statement, out, rowsDone);
            }
            handle.setTransactionIsolationLevel(TransactionIsolationLevel.REPEATABLE_READ);
            handle.setReadOnly(true);
            handle.begin();
            try {
                long written = new ServerUsageExport(serverUsageChunkRows)
                        .export(handle.getConnection(), request, writer(request, out), rowsDone);
                handle.commit();
                return written;
            } finally {
                if (handle.isInTransaction()) {
                    handle.rollback();
                }
            }
        } catch (SQLException e) {
            throw failed(request, e);
        } catch (JdbiException e) {
            throw failed(request, e);
        }
    }

    /** The generic path: the view, filtered and sorted by PostgreSQL, through a cursor. */
    private long exportView(ExportRequest request, ExportStatement statement, Writer out, LongConsumer rowsDone)
            throws IOException {
        try (Handle handle = jdbi.open()) {
            handle.setReadOnly(true);
            // pgjdbc uses a cursor (fetch size) only inside a transaction
            return handle.inTransaction(transaction -> {
                Query query = statement.create(transaction).setFetchSize(FETCH_SIZE);
                bind(query, request);
                return query.scanResultSet((rows, context) -> {
                    try {
                        return write(rows.get(), writer(request, out), rowsDone);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (JdbiException e) {
            throw failed(request, e);
        }
    }

    private static OsMetricsException failed(ExportRequest request, Exception e) {
        return OsMetricsException.database("cannot export report " + request.report().name() + ": "
                + (e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getMessage()), e);
    }

    private static RowWriter writer(ExportRequest request, Writer out) throws IOException {
        return switch (request.format()) {
            case CSV -> new CsvRowWriter(out, request.dialect(), request.delimiter(),
                    ReportCatalog.spreadsheetRounded(request.report()));
            case JSON -> new JsonRowWriter(out, false, request.report().documentColumn());
            case JSONL -> new JsonRowWriter(out, true, request.report().documentColumn());
        };
    }

    private static long write(ResultSet rows, RowWriter writer, LongConsumer rowsDone) throws SQLException, IOException {
        List<ExportColumn> columns = columns(rows.getMetaData());
        writer.begin(columns);
        Object[] values = new Object[columns.size()];
        Map<String, Instant> times = new HashMap<>();
        long written = 0;
        while (rows.next()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = read(rows, i + 1, columns.get(i).kind(), times);
            }
            writer.row(values);
            if (++written % PROGRESS_EVERY == 0) {
                rowsDone.accept(PROGRESS_EVERY);
            }
        }
        writer.end();
        rowsDone.accept(written % PROGRESS_EVERY);
        return written;
    }

    private static List<ExportColumn> columns(ResultSetMetaData metaData) throws SQLException {
        List<ExportColumn> columns = new ArrayList<>(metaData.getColumnCount());
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            columns.add(new ExportColumn(metaData.getColumnLabel(i), ColumnKind.ofTypeName(metaData.getColumnTypeName(i))));
        }
        return columns;
    }

    /**
     * One value; {@code times} keeps the instants of timestamp texts already read in this export (windows and
     * launch times repeat on every window of a server: the parse was a third of the export's time).
     */
    private static Object read(ResultSet rows, int index, ColumnKind kind, Map<String, Instant> times)
            throws SQLException {
        if (kind == ColumnKind.TIMESTAMP) {
            String text = rows.getString(index);
            if (text == null) {
                return null;
            }
            Instant time = times.get(text);
            if (time == null) {
                time = rows.getObject(index, OffsetDateTime.class).toInstant();
                if (times.size() >= TIME_CACHE) {
                    times.clear();
                }
                times.put(text, time);
            }
            return time;
        }
        Object value = switch (kind) {
            case INTEGER -> rows.getLong(index);
            case DECIMAL -> rows.getBigDecimal(index);
            case DOUBLE -> rows.getDouble(index);
            case BOOLEAN -> rows.getBoolean(index);
            case TIMESTAMP -> throw new IllegalStateException("read above");
            case DATE -> rows.getObject(index, LocalDate.class);
            case TEXT, JSON -> rows.getString(index);
        };
        return rows.wasNull() ? null : value;
    }

    /** The filters a request may ask for: each the attribute of that name in the report's SELECT, and its fragment's name. */
    private enum Filter {
        FROM("from", "--from"), TO("to", "--to"), PROJECTS("projects", "--project"), CLOUD("cloud", "--cloud");

        final String attribute;
        final String option;

        Filter(String attribute, String option) {
            this.attribute = attribute;
            this.option = option;
        }

        boolean askedBy(ExportRequest request) {
            return switch (this) {
                case FROM -> request.from() != null;
                case TO -> request.to() != null;
                case PROJECTS -> !request.projects().isEmpty();
                case CLOUD -> request.cloud() != null;
            };
        }
    }

    /**
     * A request's statement: the report's SELECT ({@code ReportExporter/<report>.sql}, whose WHERE is
     * {@code <from> AND <to> AND <projects> AND <cloud>}) and the SQL each of those attributes is defined as.
     */
    record ExportStatement(String template, Map<String, String> filters) {
        ExportStatement {
            filters = Map.copyOf(filters);
        }

        Query create(Handle handle) {
            Query query = handle.createQuery(template);
            filters.forEach(query::define);
            return query;
        }
    }

    /**
     * The statement of a request, with the named parameters {@code :from :to :projects :cloud} its filters use:
     * each filter asked for is the report's fragment of that name ({@code ReportExporter/<report>/<filter>.sql};
     * for the cloud, {@code ReportExporter/cloud.sql} when the report has none of its own), each other one
     * {@code everyRow.sql}.
     *
     * @throws OsMetricsException exit 2 when the request asks for a filter the report does not have
     */
    static ExportStatement statement(ExportRequest request) {
        ReportDefinition report = request.report();
        Map<String, String> filters = new HashMap<>();
        for (Filter filter : Filter.values()) {
            String name = report.name() + "/" + filter.attribute;
            if (!filter.askedBy(request)) {
                filters.put(filter.attribute, SQL.locate(ReportExporter.class, "everyRow"));
            } else if (ReportExporter.class.getResource(ReportExporter.class.getSimpleName() + "/" + name + ".sql") != null) {
                filters.put(filter.attribute, SQL.locate(ReportExporter.class, name));
            } else if (filter == Filter.CLOUD) {
                filters.put(filter.attribute, SQL.locate(ReportExporter.class, "cloud"));
            } else {
                throw OsMetricsException.usage("report " + report.name() + " cannot be filtered with " + filter.option);
            }
        }
        return new ExportStatement(SQL.locate(ReportExporter.class, report.name()), filters);
    }

    /** Binds the request's values to the parameters its filters use (Jdbi ignores none: only those present). */
    static void bind(org.jdbi.v3.core.statement.SqlStatement<?> statement, ExportRequest request) {
        if (request.from() != null) {
            statement.bind("from", request.from().atOffset(ZoneOffset.UTC));
        }
        if (request.to() != null) {
            statement.bind("to", request.to().atOffset(ZoneOffset.UTC));
        }
        if (!request.projects().isEmpty()) {
            statement.bindArray("projects", String.class, request.projects());
        }
        if (request.cloud() != null) {
            statement.bind("cloud", request.cloud());
        }
    }
}

package org.osmetrics.report;

import java.io.IOException;
import java.io.Writer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.osmetrics.OsMetricsException;

/**
 * Streams one report view to a writer in constant memory: the rows come through a server-side cursor
 * (autocommit off, a fetch size) and are written as they arrive. Filters are bound parameters.
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
    private static final Pattern PARAMETER = Pattern.compile(":(from|to|projects|cloud)\\b");

    private final DataSource dataSource;
    /** Rows per chunk of the fast server_usage export; 0: every report through its view (the generic path). */
    private final int serverUsageChunkRows;

    public ReportExporter(DataSource dataSource) {
        this(dataSource, ServerUsageExport.CHUNK_ROWS);
    }

    /** For tests: {@code serverUsageChunkRows} 0 exports server_usage through its view, as the other reports. */
    ReportExporter(DataSource dataSource, int serverUsageChunkRows) {
        this.dataSource = dataSource;
        this.serverUsageChunkRows = serverUsageChunkRows;
    }

    /**
     * Writes the report's rows to {@code out} (not closed) and returns how many were written.
     *
     * @param rowsDone told the number of rows written since its last call, every {@value #PROGRESS_EVERY} rows
     *                 and at the end
     */
    public long export(ExportRequest request, Writer out, LongConsumer rowsDone) throws IOException {
        query(request);   // refuses a filter the report does not have, before any connection
        if (serverUsageChunkRows > 0 && request.report().name().equals(SERVER_USAGE)) {
            return exportServerUsage(request, out, rowsDone);
        }
        return exportView(request, out, rowsDone);
    }

    /** The generic path: the view, filtered and sorted by PostgreSQL, through a cursor. */
    private long exportView(ExportRequest request, Writer out, LongConsumer rowsDone) throws IOException {
        Query query = query(request);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);   // pgjdbc uses a cursor (fetch size) only inside a transaction
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(query.sql(),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(FETCH_SIZE);
                bind(connection, statement, query.parameters(), request);
                try (ResultSet rows = statement.executeQuery()) {
                    long written = write(rows, writer(request, out), rowsDone);
                    connection.commit();
                    return written;
                }
            }
        } catch (SQLException e) {
            throw OsMetricsException.database("cannot export report " + request.report().name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * server_usage without sorting the view in PostgreSQL (see {@link ServerUsageExport}): the same rows in the
     * same order, in one REPEATABLE READ snapshot.
     */
    private long exportServerUsage(ExportRequest request, Writer out, LongConsumer rowsDone) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            if (!canReadTables(connection)) {
                return exportView(request, out, rowsDone);   // a reader role: the report schema only
            }
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            long written = new ServerUsageExport(serverUsageChunkRows)
                    .export(connection, request, writer(request, out), rowsDone);
            connection.commit();
            return written;
        } catch (SQLException e) {
            throw OsMetricsException.database("cannot export report " + request.report().name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean canReadTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ServerUsageExport.CAN_READ_TABLES);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        }
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

    /** The SELECT of a request, with its named parameters turned into JDBC's positional ones. */
    static Query query(ExportRequest request) {
        ReportDefinition report = request.report();
        List<String> conditions = new ArrayList<>();
        if (request.from() != null) {
            conditions.add(requireFilter(report.fromFilter(), report, "--from"));
        }
        if (request.to() != null) {
            conditions.add(requireFilter(report.toFilter(), report, "--to"));
        }
        if (!request.projects().isEmpty()) {
            conditions.add(requireFilter(report.projectFilter(), report, "--project"));
        }
        if (request.cloud() != null) {
            conditions.add(ReportCatalog.cloudFilter(report));
        }
        String sql = "SELECT * FROM " + report.view()
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + report.orderBy();
        List<String> parameters = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (matcher.find()) {
            parameters.add(matcher.group(1));
            matcher.appendReplacement(positional, "?");
        }
        matcher.appendTail(positional);
        return new Query(positional.toString(), List.copyOf(parameters));
    }

    private static String requireFilter(String filter, ReportDefinition report, String option) {
        if (filter == null) {
            throw OsMetricsException.usage("report " + report.name() + " cannot be filtered with " + option);
        }
        return filter;
    }

    private static void bind(Connection connection, PreparedStatement statement, List<String> parameters,
            ExportRequest request) throws SQLException {
        Array projects = request.projects().isEmpty() ? null
                : connection.createArrayOf("text", request.projects().toArray());
        for (int i = 0; i < parameters.size(); i++) {
            switch (parameters.get(i)) {
                case "from" -> statement.setObject(i + 1, request.from().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                case "to" -> statement.setObject(i + 1, request.to().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                case "cloud" -> statement.setString(i + 1, request.cloud());
                default -> statement.setArray(i + 1, projects);
            }
        }
    }

    /** A SELECT with positional parameters, and the name of each in order. */
    record Query(String sql, List<String> parameters) {
    }
}

package org.osmetrics.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * The CSV of {@code report.server_usage}, written by PostgreSQL: {@code COPY (SELECT <one CSV line per row> FROM
 * report.server_usage WHERE ... ORDER BY ...) TO STDOUT (FORMAT binary)}, each line's bytes copied to the output
 * as they arrive (no parsing, no formatting, no row objects in Java). The lines are formatted in SQL
 * ({@code ServerUsageExport/csvLines.sql}) as {@link CsvRowWriter} writes the view's rows, so the bytes are those
 * of the generic export (ServerUsageExportTest compares them on every filter, dialect and delimiter). It reads the
 * view, so a reader or a tenant exports what it may see, as with the generic path. One statement: one snapshot.
 *
 * <p>COPY takes no bound parameters: the request's values are set as transaction-local settings
 * ({@code os_metrics.export_*}, bound by Jdbi) that the filters below read; no request text enters the SQL.
 */
final class ServerUsageExport {
    static final List<String> COLUMNS = List.of("hours", "flavor", "instance_id", "name", "tenant_id", "memory_mb",
            "local_gb", "vcpus", "started_at", "ended_at", "state", "uptime", "project_name", "window_start",
            "window_end", "cloud", "provisional");

    /** The filters of {@link ReportCatalog}'s server_usage, on the settings instead of parameters. */
    private static final String FROM = "u.window_start >= CAST(current_setting('os_metrics.export_from') AS timestamptz)";
    private static final String TO = "u.window_start < CAST(current_setting('os_metrics.export_to') AS timestamptz)";
    private static final String PROJECTS = "(u.tenant_id = ANY(CAST(current_setting('os_metrics.export_projects') AS text[]))"
            + " OR u.project_name = ANY(CAST(current_setting('os_metrics.export_projects') AS text[])))";
    private static final String CLOUD = "u.cloud = current_setting('os_metrics.export_cloud')";
    /** Rows a chunk aims at: each is sorted by PostgreSQL in memory ({@link #CHUNK_SETTINGS}' work_mem). */
    static final int CHUNK_ROWS = 100_000;
    private static final String CHUNK_FROM = " AND f.window_start >= CAST(current_setting('os_metrics.chunk_from') AS timestamptz)";
    private static final String CHUNK_TO = " AND f.window_start < CAST(current_setting('os_metrics.chunk_to') AS timestamptz)";
    /**
     * A chunk's bounds and clouds; its sort in memory; and no nested loop, in which PostgreSQL (without statistics,
     * as with autovacuum off) would look up every server's facts in the chunk's whole key range; no JIT (a refused
     * nested loop's cost would make PostgreSQL compile and optimise every chunk's plan: seconds each).
     */
    private static final String CHUNK_SETTINGS = "SELECT set_config('work_mem', '64MB', true) AS s1,"
            + " set_config('enable_nestloop', 'off', true) AS s2, set_config('jit', 'off', true) AS s6,"
            + " set_config('os_metrics.chunk_clouds', :clouds, true) AS s3,"
            + " set_config('os_metrics.chunk_from', coalesce(CAST(CAST(:from AS timestamptz) AS text), ''), true) AS s4,"
            + " set_config('os_metrics.chunk_to', coalesce(CAST(CAST(:to AS timestamptz) AS text), ''), true) AS s5";
    /** The delimiter, once per statement. */
    private static final String DELIMITER = " CROSS JOIN (SELECT current_setting('os_metrics.csv_delimiter') AS d) k";
    /** Whether this role reads the tables behind the view (a reader or a tenant reads only the report schema). */
    static final String CAN_READ_TABLES = "SELECT has_schema_privilege('metrics', 'USAGE')"
            + " AND has_table_privilege('metrics.usage_fact', 'SELECT') AND has_table_privilege('metrics.cloud', 'SELECT')"
            + " AND has_table_privilege('metrics.flavor', 'SELECT') AND has_table_privilege('metrics.project', 'SELECT')"
            + " AND has_table_privilege('metrics.server', 'SELECT') AND has_table_privilege('metrics.usage_rollup', 'SELECT')";
    /** The view's order ({@link ReportCatalog}). */
    private static final String ORDER = " ORDER BY u.window_start, u.cloud, u.tenant_id, u.instance_id";
    /** The settings the lines and filters read, for this transaction only; times as text in UTC. */
    private static final String SETTINGS = "SELECT set_config('TimeZone', 'UTC', true) AS s1, set_config('DateStyle', 'ISO', true) AS s2,"
            + " set_config('os_metrics.csv_delimiter', :delimiter, true) AS s3,"
            + " set_config('os_metrics.export_from', coalesce(CAST(CAST(:from AS timestamptz) AS text), ''), true) AS s4,"
            + " set_config('os_metrics.export_to', coalesce(CAST(CAST(:to AS timestamptz) AS text), ''), true) AS s5,"
            + " set_config('os_metrics.export_projects', CAST(CAST(:projects AS text[]) AS text), true) AS s6,"
            + " set_config('os_metrics.export_cloud', coalesce(:cloud, ''), true) AS s7";

    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private ServerUsageExport() {
    }

    /** Writes the CSV for {@code request} (format CSV) and returns the rows written; its own transaction. */
    static long copy(Handle handle, ExportRequest request, int chunkRows, OutputStream out, LongConsumer rowsDone)
            throws SQLException, IOException {
        List<String> conditions = new ArrayList<>();
        if (request.from() != null) {
            conditions.add(FROM);
        }
        if (request.to() != null) {
            conditions.add(TO);
        }
        if (!request.projects().isEmpty()) {
            conditions.add(PROJECTS);
        }
        if (request.cloud() != null) {
            conditions.add(CLOUD);
        }
        String lines = SQL.locate(ServerUsageExport.class, "csvLines");
        if (request.dialect() == CsvDialect.EXCEL) {
            out.write(BYTE_ORDER_MARK);
        }
        out.write(header(request.delimiter()));
        handle.setTransactionIsolationLevel(TransactionIsolationLevel.REPEATABLE_READ);   // one snapshot
        handle.setReadOnly(true);
        handle.begin();
        try {
            handle.createQuery(SETTINGS)
                    .bind("delimiter", String.valueOf(request.delimiter()))
                    .bind("from", request.from() == null ? null : request.from().atOffset(ZoneOffset.UTC))
                    .bind("to", request.to() == null ? null : request.to().atOffset(ZoneOffset.UTC))
                    .bindArray("projects", String.class, request.projects())
                    .bind("cloud", request.cloud())
                    .mapToMap().one();
            CopyManager copies = handle.getConnection().unwrap(PGConnection.class).getCopyAPI();
            Lines parsed = new Lines(out, rowsDone);
            if (!handle.createQuery(CAN_READ_TABLES).mapTo(Boolean.class).one()) {
                // a reader or a tenant: the view, sorted whole by PostgreSQL
                copy(copies, lines + " FROM report.server_usage u" + DELIMITER + where(conditions) + ORDER, parsed);
            } else {
                String chunkLines = SQL.locate(ServerUsageExport.class, "serverUsageLines");
                List<Integer> clouds = handle.createQuery("SELECT cloud_id FROM metrics.cloud"
                                + " WHERE CAST(:cloud AS text) IS NULL OR cloud_key = :cloud")
                        .bind("cloud", request.cloud()).mapTo(Integer.class).list();
                List<Instant> bounds = chunkBounds(handle, clouds, request, chunkRows);
                for (int i = 0; i <= bounds.size(); i++) {
                    handle.createQuery(CHUNK_SETTINGS)
                            .bind("clouds", clouds.toString().replace('[', '{').replace(']', '}'))
                            .bind("from", i > 0 ? bounds.get(i - 1).atOffset(ZoneOffset.UTC) : null)
                            .bind("to", i < bounds.size() ? bounds.get(i).atOffset(ZoneOffset.UTC) : null)
                            .mapToMap().one();
                    String chunk = "(" + chunkLines + (i > 0 ? CHUNK_FROM : "") + (i < bounds.size() ? CHUNK_TO : "") + ")";
                    copy(copies, "SELECT u.line FROM " + chunk + " u" + where(conditions) + ORDER, parsed);
                }
            }
            handle.commit();
            out.flush();
            rowsDone.accept(parsed.rows - parsed.reported);
            return parsed.rows;
        } finally {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        }
    }

    private static void copy(CopyManager copies, String select, Lines parsed) throws SQLException, IOException {
        CopyOut copy = copies.copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)");
        parsed.restart();
        byte[] message;
        while ((message = copy.readFromCopy()) != null) {
            parsed.accept(message);
        }
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /**
     * Where the chunks end: the request's windows in the rollup (their facts counted for every project: only the
     * chunks' sizes depend on it), cut every {@code chunkRows} rows or so. The first chunk is open below, the last
     * above, so whatever the rollup says every row is in exactly one chunk.
     */
    private static List<Instant> chunkBounds(Handle handle, List<Integer> clouds, ExportRequest request, int chunkRows) {
        List<Instant> bounds = new ArrayList<>();
        long[] rows = {0};
        handle.createQuery("SELECT r.window_start, sum(r.facts) AS facts FROM metrics.usage_rollup r"
                        + " WHERE r.cloud_id = ANY(:clouds)"
                        + " AND (CAST(:from AS timestamptz) IS NULL OR r.window_start >= :from)"
                        + " AND (CAST(:to AS timestamptz) IS NULL OR r.window_start < :to)"
                        + " GROUP BY r.window_start ORDER BY r.window_start")
                .bindArray("clouds", Integer.class, clouds)
                .bind("from", request.from() == null ? null : request.from().atOffset(ZoneOffset.UTC))
                .bind("to", request.to() == null ? null : request.to().atOffset(ZoneOffset.UTC))
                .map((result, context) -> {
                    if (rows[0] >= chunkRows) {
                        bounds.add(result.getObject(1, OffsetDateTime.class).toInstant());
                        rows[0] = 0;
                    }
                    rows[0] += result.getLong(2);
                    return Boolean.TRUE;
                })
                .forEach(ignored -> { });
        return bounds;
    }

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The header line, as CsvRowWriter writes it. */
    private static byte[] header(char delimiter) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                line.append(delimiter);
            }
            line.append(CsvRowWriter.cell(COLUMNS.get(i), i == 0, delimiter));
        }
        return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * COPY's binary format (PostgreSQL's documentation, "COPY", binary file format) of rows of one text column:
     * a 19-byte header (and its extension area), then per row a field count (1), a length and the bytes, then a
     * field count of -1. Whatever the messages' boundaries, the lines' bytes go to the output unchanged.
     */
    private static final class Lines {
        private static final int HEADER = 19;
        private final OutputStream out;
        private final LongConsumer rowsDone;
        /** A big-endian integer being read across messages, and how many of its bytes are still to come. */
        private long number;
        private int numberBytesLeft = HEADER;
        private State state = State.HEADER;
        private long dataLeft;
        long rows;
        long reported;

        private enum State { HEADER, EXTENSION, FIELDS, LENGTH, DATA, END }

        Lines(OutputStream out, LongConsumer rowsDone) {
            this.out = out;
            this.rowsDone = rowsDone;
        }

        /** The next COPY's data: its own header, rows and end. */
        void restart() {
            if (state != State.END && state != State.HEADER) {
                throw new IllegalStateException("COPY's data ended in the middle of a row");
            }
            expect(State.HEADER, HEADER);
        }

        void accept(byte[] message) throws IOException {
            int at = 0;
            while (at < message.length) {
                if (state == State.DATA || state == State.EXTENSION) {
                    int n = (int) Math.min(dataLeft, message.length - at);
                    if (state == State.DATA) {
                        out.write(message, at, n);
                    }
                    at += n;
                    dataLeft -= n;
                    if (dataLeft == 0) {
                        if (state == State.DATA) {
                            rowDone();
                        }
                        expect(State.FIELDS, 2);
                    }
                    continue;
                }
                if (state == State.END) {
                    throw new IOException("unexpected bytes after the end of COPY's binary data");
                }
                number = (number << 8) | (message[at++] & 0xFF);
                if (--numberBytesLeft > 0) {
                    continue;
                }
                switch (state) {
                    case HEADER -> {
                        // the last 4 of the 19 bytes: the length of the header extension area
                        dataLeft = number & 0xFFFFFFFFL;
                        if (dataLeft == 0) {
                            expect(State.FIELDS, 2);
                        } else {
                            state = State.EXTENSION;
                        }
                    }
                    case FIELDS -> {
                        short fields = (short) number;
                        if (fields == -1) {
                            state = State.END;
                        } else if (fields != 1) {
                            throw new IOException("COPY sent " + fields + " fields where one line was expected");
                        } else {
                            expect(State.LENGTH, 4);
                        }
                    }
                    case LENGTH -> {
                        dataLeft = (int) number;
                        if (dataLeft <= 0) {
                            throw new IOException("COPY sent an empty or null line");
                        }
                        state = State.DATA;
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
        }

        private void expect(State next, int bytes) {
            state = next;
            number = 0;
            numberBytesLeft = bytes;
        }

        private void rowDone() {
            if (++rows - reported == ReportExporter.PROGRESS_EVERY) {
                rowsDone.accept(ReportExporter.PROGRESS_EVERY);
                reported = rows;
            }
        }
    }
}

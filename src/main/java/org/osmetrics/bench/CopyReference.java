package org.osmetrics.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The physical reference: the very fact rows os-metrics loaded, dumped once to a file and then sent with a
 * plain {@code COPY ... FROM STDIN} into an unindexed table and into a table with the fact table's primary
 * key, on the same database, each in one committed transaction. Nothing but PostgreSQL's own work is timed.
 * For the export, the reference is {@code psql}'s {@code \copy (select * from report.server_usage) to 'f.csv' csv
 * header}: PostgreSQL formats the view's rows as CSV, unsorted, and the client only writes the bytes.
 */
final class CopyReference {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private CopyReference() {
    }

    /** Times both COPYs of the cloud's fact rows; {@code label} names the row set in the stage names. */
    static List<Figure> measure(DataSource dataSource, Meter meter, int cloudId, String label) throws SQLException, IOException {
        Path dump = Files.createTempFile("os-metrics-bench-", ".copy");
        Jdbi jdbi = Jdbi.create(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long rows;
            try (OutputStream out = Files.newOutputStream(dump)) {
                rows = copy.copyOut(copyStatement("copyOut", "<cloudId>", Integer.toString(cloudId)), out);
            }
            List<Figure> figures = new ArrayList<>();
            figures.add(copyInto(jdbi, connection, copy, meter, dump, rows, "bench_ref_plain", false,
                    "COPY " + label + " -> no index"));
            figures.add(copyInto(jdbi, connection, copy, meter, dump, rows, "bench_ref_pk", true,
                    "COPY " + label + " -> same PK"));
            return figures;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** The table is made (and dropped) through Jdbi; only the timed COPY runs on pgjdbc's copy API (Jdbi has none). */
    private static Figure copyInto(Jdbi jdbi, Connection connection, CopyManager copy, Meter meter, Path dump, long rows,
            String table, boolean withKey, String stage) throws SQLException, IOException {
        jdbi.useHandle(handle -> {
            handle.createUpdate(SQL.locate(CopyReference.class, "dropTable")).define("table", table).execute();
            handle.createUpdate(SQL.locate(CopyReference.class, "createTable")).define("table", table).execute();
            if (withKey) {
                handle.createUpdate(SQL.locate(CopyReference.class, "addKey")).define("table", table).execute();
            }
        });
        String copyIn = copyStatement("copyIn", "<table>", table);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        meter.begin();
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(dump)) {
            long copied = copy.copyIn(copyIn, in, 1 << 16);
            connection.commit();
            if (copied != rows) {
                throw new SQLException("reference COPY took " + copied + " rows of " + rows);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Meter.Sample memory = meter.sample();
        long bytes = jdbi.withHandle(handle -> {
            long size = handle.createQuery(SQL.locate(CopyReference.class, "tableSize")).bind("table", table)
                    .mapTo(Long.class).one();
            handle.createUpdate(SQL.locate(CopyReference.class, "dropTable")).define("table", table).execute();
            return size;
        });
        return new Figure(stage, rows, seconds, memory, bytes, rows, null, null);
    }

    /**
     * Times {@code COPY (SELECT * FROM report.server_usage ...) TO STDOUT (FORMAT csv, HEADER)} into a file, as
     * {@code psql}'s {@code \copy} does it, over {@code [from, to)} (null: the whole view).
     */
    static Figure exportReference(DataSource dataSource, Meter meter, Instant from, Instant to, String stage)
            throws SQLException, IOException {
        // the bounds are instants from the database, not input text; COPY takes no bind parameters
        String where = from == null ? ""
                : "WHERE window_start >= '" + from + "' AND window_start < '" + to + "'";
        String statement = copyStatement("exportServerUsage", "<where>", where);
        Path file = Files.createTempFile("os-metrics-bench-", ".csv");
        try (Connection connection = dataSource.getConnection()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            meter.begin();
            long started = System.nanoTime();
            long rows;
            try (OutputStream out = Files.newOutputStream(file)) {
                rows = copy.copyOut(statement, out);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Figure(stage, rows, seconds, meter.sample(), -1, 0, null,
                    String.format(Locale.ROOT, "%.0f MB of CSV, unsorted (psql's \\copy)",
                            Files.size(file) / 1048576.0));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A COPY statement of {@code CopyReference/} with its one attribute put in: pgjdbc's copy API takes finished text,
     * so Jdbi cannot define it (the value is made here, not input text).
     */
    private static String copyStatement(String name, String attribute, String value) {
        return SQL.locate(CopyReference.class, name).replace(attribute, value);
    }
}

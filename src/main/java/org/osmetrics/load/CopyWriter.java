package org.osmetrics.load;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into {@code COPY ... FROM STDIN} (text format) in chunks, so a range of millions of rows
 * never sits in memory as one string. Not thread-safe; one per COPY.
 */
final class CopyWriter implements AutoCloseable {
    private static final int FLUSH_CHARS = 1 << 20;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);
    private boolean firstField = true;
    private long rows;
    private boolean finished;

    private CopyWriter(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts {@code COPY table (columns) FROM STDIN} on the connection; {@code copySql} is a fixed text. */
    static CopyWriter start(Connection connection, String copySql) throws SQLException {
        return new CopyWriter(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
    }

    CopyWriter text(String value) {
        separate();
        if (value == null) {
            buffer.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> buffer.append("\\\\");
                case '\t' -> buffer.append("\\t");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                default -> buffer.append(c);
            }
        }
        return this;
    }

    CopyWriter number(long value) {
        separate();
        buffer.append(value);
        return this;
    }

    CopyWriter bool(boolean value) {
        separate();
        buffer.append(value ? 't' : 'f');
        return this;
    }

    CopyWriter time(Instant value) {
        return text(value == null ? null : value.toString());
    }

    void endRow() throws SQLException {
        buffer.append('\n');
        firstField = true;
        rows++;
        if (buffer.length() >= FLUSH_CHARS) {
            flush();
        }
    }

    /** Ends the COPY and returns the rows the server took. */
    long finish() throws SQLException {
        flush();
        finished = true;
        return end(copy, rows);
    }

    /** Ends a COPY that was sent {@code rows} rows; an error if the server took another number. */
    static long end(CopyIn copy, long rows) throws SQLException {
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new SQLException("COPY took " + copied + " rows of " + rows);
        }
        return copied;
    }

    private void separate() {
        if (!firstField) {
            buffer.append('\t');
        }
        firstField = false;
    }

    private void flush() throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** Cancels an unfinished COPY so the connection is usable again (its transaction rolls back anyway). */
    @Override
    public void close() throws SQLException {
        if (!finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }
}

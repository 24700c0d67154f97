package org.osmetrics.load;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into {@code COPY ... FROM STDIN WITH (FORMAT binary)} in chunks: values go as PostgreSQL's
 * own binary forms (no text to format here nor to parse on the server; doubles keep their exact bits). Each
 * value must be written in the column's exact type (integer, bigint, float8, uuid, timestamptz, text,
 * boolean), in the order of the COPY's column list. Not thread-safe; one per COPY.
 */
final class BinaryCopyWriter implements AutoCloseable {
    private static final int FLUSH_BYTES = 1 << 20;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL's epoch of timestamps, 2000-01-01T00:00:00Z, in seconds of the Unix epoch. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final CopyIn copy;
    private final int columns;
    private byte[] buffer = new byte[FLUSH_BYTES + 4096];
    private int size;
    private int fieldsInRow;
    private long rows;
    private boolean finished;

    private BinaryCopyWriter(CopyIn copy, int columns) {
        this.copy = copy;
        this.columns = columns;
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, buffer, 0, SIGNATURE.length);
        size = SIGNATURE.length;
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    /**
     * Starts {@code copySql}, a fixed {@code COPY table (columns) FROM STDIN WITH (FORMAT binary)}, on the
     * connection; {@code columns} is the length of its column list.
     */
    static BinaryCopyWriter start(Connection connection, String copySql, int columns) throws SQLException {
        return new BinaryCopyWriter(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql), columns);
    }

    BinaryCopyWriter integer(int value) {
        field(4);
        putInt(value);
        return this;
    }

    BinaryCopyWriter bigint(long value) {
        field(8);
        putLong(value);
        return this;
    }

    BinaryCopyWriter float8(double value) {
        field(8);
        putLong(Double.doubleToRawLongBits(value));
        return this;
    }

    BinaryCopyWriter bool(boolean value) {
        field(1);
        buffer[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    BinaryCopyWriter uuid(UUID value) {
        field(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    /** A timestamptz: whole microseconds only (PostgreSQL's precision), anything finer is refused, never rounded. */
    BinaryCopyWriter timestamp(Instant value) {
        if (value.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("timestamp " + value + " has a part below the microsecond");
        }
        field(8);
        putLong(Math.addExact(Math.multiplyExact(value.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L),
                value.getNano() / 1000));
        return this;
    }

    /** A text value (UTF-8: the connection's client encoding), or SQL NULL for null. */
    BinaryCopyWriter text(String value) {
        if (value == null) {
            startField();
            putInt(-1);
            return this;
        }
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A value already in its binary form, e.g. a text's UTF-8 bytes encoded once for many rows. */
    BinaryCopyWriter bytes(byte[] value) {
        field(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    void endRow() throws SQLException {
        if (fieldsInRow != columns) {
            throw new IllegalStateException("a COPY row with " + fieldsInRow + " values for " + columns + " columns");
        }
        fieldsInRow = 0;
        rows++;
        if (size >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Ends the COPY and returns the rows the server took. */
    long finish() throws SQLException {
        ensure(2);
        putShort(-1); // the trailer
        flush();
        finished = true;
        return CopyWriter.end(copy, rows);
    }

    private void startField() {
        if (fieldsInRow == 0) {
            ensure(2);
            putShort(columns);
        }
        fieldsInRow++;
        ensure(4);
    }

    private void field(int length) {
        startField();
        ensure(4 + length);
        putInt(length);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    private void putShort(int value) {
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    private void putInt(int value) {
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void flush() throws SQLException {
        if (size > 0) {
            copy.writeToCopy(buffer, 0, size);
            size = 0;
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

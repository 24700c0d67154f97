package org.osmetrics.load;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;

/**
 * The per-cloud run lock, which no reader can take or block (migration V84): the cloud's row of
 * {@code metrics.run_lock} names the backend of this lock's session and a random key that session holds as a
 * session advisory lock for the whole run. The row is written in one short transaction when the lock is taken
 * (a second run waits for that transaction only, then sees a live holder and fails at once) and counts as held
 * only while that backend holds that key, so PostgreSQL releases the lock when the session ends, a killed
 * process's included. No transaction stays open during the run. Not thread-safe; close it once.
 */
public final class RunLock implements AutoCloseable {
    /** The first key of the holder's advisory lock: "osme" in ASCII, so other applications' locks do not clash. */
    public static final int NAMESPACE = 0x6f736d65;
    private static final int KEY_ATTEMPTS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String BACKEND_PID = "SELECT pg_backend_pid()";
    private static final String TRY_KEY = "SELECT pg_try_advisory_lock(?, ?)";
    private static final String UNLOCK_KEY = "SELECT pg_advisory_unlock(?, ?)";
    private static final String ENSURE_ROW = "INSERT INTO metrics.run_lock (cloud_key) VALUES (?) ON CONFLICT DO NOTHING";
    private static final String READ_HOLDER = "SELECT holder_pid, acquired_at, metrics.run_lock_alive(holder_pid, holder_key)"
            + " FROM metrics.run_lock WHERE cloud_key = ? FOR UPDATE";
    private static final String TAKE = "UPDATE metrics.run_lock SET holder_pid = ?, holder_key = ?, acquired_at = now()"
            + " WHERE cloud_key = ?";
    private static final String RELEASE = "UPDATE metrics.run_lock SET holder_pid = NULL, holder_key = NULL, acquired_at = NULL"
            + " WHERE cloud_key = ? AND holder_pid = ? AND holder_key = ?";

    private final Connection connection;
    private final String cloudKey;
    private final int pid;
    private final int key;

    private RunLock(Connection connection, String cloudKey, int pid, int key) {
        this.connection = connection;
        this.cloudKey = cloudKey;
        this.pid = pid;
        this.key = key;
    }

    /**
     * Takes the lock of a cloud at once or fails.
     *
     * @throws OsMetricsException exit 6 when another run holds it, 5 when the database fails
     */
    public static RunLock acquire(DataSource dataSource, String cloudKey) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            int pid = backendPid(connection);
            int key = takeRandomKey(connection);
            try {
                takeRow(connection, cloudKey, pid, key);
            } catch (OsMetricsException | SQLException e) {
                unlockKey(connection, key);
                throw e;
            }
            return new RunLock(connection, cloudKey, pid, key);
        } catch (OsMetricsException e) {
            closeQuietly(connection);
            throw e;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw OsMetricsException.database("cannot take the run lock for cloud " + cloudKey + ": " + e.getMessage(), e);
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BACKEND_PID); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A random key this session now holds (another session may hold the first ones drawn: a reader, by chance). */
    private static int takeRandomKey(Connection connection) throws SQLException {
        for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
            int key = RANDOM.nextInt(Integer.MAX_VALUE);
            try (PreparedStatement statement = connection.prepareStatement(TRY_KEY)) {
                statement.setInt(1, NAMESPACE);
                statement.setInt(2, key);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return key;
                    }
                }
            }
        }
        throw new SQLException("no free advisory key after " + KEY_ATTEMPTS + " random draws");
    }

    private static void takeRow(Connection connection, String cloudKey, int pid, int key) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement ensure = connection.prepareStatement(ENSURE_ROW)) {
                ensure.setString(1, cloudKey);
                ensure.executeUpdate();
            }
            try (PreparedStatement read = connection.prepareStatement(READ_HOLDER)) {
                read.setString(1, cloudKey);
                try (ResultSet rows = read.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(3)) {
                        int holder = rows.getInt(1);
                        String since = String.valueOf(rows.getObject(2, java.time.OffsetDateTime.class).toInstant());
                        connection.rollback();
                        throw new OsMetricsException(ExitCode.LOCKED, "another os-metrics run holds the lock for cloud "
                                + cloudKey + " (database session pid " + holder + ", since " + since
                                + "); this run exits without doing anything (the next one catches up)");
                    }
                }
            }
            try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                take.setInt(1, pid);
                take.setInt(2, key);
                take.setString(3, cloudKey);
                take.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Releases the lock, explicitly: closing the session alone would release it only when the server has
     * ended the backend, a moment after {@code close()} returns, so a run started right after this one
     * could find it still held.
     */
    @Override
    public void close() {
        try (PreparedStatement statement = connection.prepareStatement(RELEASE)) {
            statement.setString(1, cloudKey);
            statement.setInt(2, pid);
            statement.setInt(3, key);
            statement.executeUpdate();
            unlockKey(connection, key);
        } catch (SQLException e) {
            // the session is gone (database restarted or connection lost): the lock went with it
        }
        closeQuietly(connection);
    }

    private static void unlockKey(Connection connection, int key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK_KEY)) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, key);
            statement.execute();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the transaction is gone with the session; nothing was written
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing the session releases the advisory key either way; nothing else to do
        }
    }
}

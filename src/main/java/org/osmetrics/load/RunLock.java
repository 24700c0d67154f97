package org.osmetrics.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.osmetrics.OsMetricsException;
import org.osmetrics.cli.ExitCode;

/**
 * The per-cloud run lock: a PostgreSQL session advisory lock held on a connection of its own for the
 * whole run, so it is released when the run ends or its process dies. Not thread-safe; close it once.
 */
public final class RunLock implements AutoCloseable {
    /** The first key of the two-key advisory lock: "osme" in ASCII, so other applications' locks do not clash. */
    public static final int NAMESPACE = 0x6f736d65;
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?, hashtext(?))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(?, hashtext(?))";

    private final Connection connection;
    private final String cloudKey;

    private RunLock(Connection connection, String cloudKey) {
        this.connection = connection;
        this.cloudKey = cloudKey;
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
            boolean locked;
            try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
                statement.setInt(1, NAMESPACE);
                statement.setString(2, cloudKey);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    locked = rows.getBoolean(1);
                }
            }
            if (!locked) {
                connection.close();
                throw new OsMetricsException(ExitCode.LOCKED, "another os-metrics run holds the lock for cloud "
                        + cloudKey + "; this run exits without doing anything (the next one catches up)");
            }
            return new RunLock(connection, cloudKey);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw OsMetricsException.database("cannot take the run lock for cloud " + cloudKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * Releases the lock, explicitly: closing the session alone would release it only when the server has
     * ended the backend, a moment after {@code close()} returns, so a run started right after this one
     * could find it still held.
     */
    @Override
    public void close() {
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setInt(1, NAMESPACE);
            statement.setString(2, cloudKey);
            statement.execute();
        } catch (SQLException e) {
            // the session is gone (database restarted or connection lost): the lock went with it
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing the session releases the advisory lock either way; nothing else to do
        }
    }
}

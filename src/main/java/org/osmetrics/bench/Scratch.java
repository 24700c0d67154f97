package org.osmetrics.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The benchmark's scratch database: a fresh embedded PostgreSQL in a temporary folder, or a new database on the
 * given server, migrated; deleted (or dropped) when closed unless kept. Not thread-safe.
 */
public final class Scratch implements AutoCloseable {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Database database;
    private final Database server;
    private final String name;
    private final Path folder;
    private final boolean keep;

    private Scratch(Database database, Database server, String name, Path folder, boolean keep) {
        this.database = database;
        this.server = server;
        this.name = name;
        this.folder = folder;
        this.keep = keep;
    }

    /** {@code given}: a server to make the scratch database on, or embedded (its folder ignored: a temporary one). */
    public static Scratch open(DatabaseSettings given, boolean keep) {
        if (given.embedded()) {
            Path folder;
            try {
                folder = Files.createTempDirectory("os-metrics-bench-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary folder for the bench database", e);
            }
            Database database = Database.open(new DatabaseSettings(null, null, null, folder));
            database.migrate();
            return new Scratch(database, null, null, folder, keep);
        }
        Database server = Database.open(given);
        // a name made here from the clock, not input text
        String name = "osmetrics_bench_" + Clock.systemUTC().millis();
        try {
            server.jdbi().useHandle(handle -> handle.createUpdate(SQL.locate(Scratch.class, "createDatabase"))
                    .define("name", name).execute());
        } catch (JdbiException e) {
            server.close();
            String reason = e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getMessage();
            throw OsMetricsException.database("bench: cannot create a scratch database on " + given.describe()
                    + " (the user needs CREATEDB): " + reason, e);
        }
        PGSimpleDataSource url = new PGSimpleDataSource();
        url.setURL(given.url());
        url.setDatabaseName(name);
        Database database = Database.open(new DatabaseSettings(url.getURL(), given.user(), given.password(), null));
        database.migrate();
        return new Scratch(database, server, name, null, keep);
    }

    public Database database() {
        return database;
    }

    public String description() {
        return server == null ? database.description() : "scratch database " + name + " on " + server.description();
    }

    @Override
    public void close() {
        database.close();
        if (server != null) {
            try (server) {
                if (!keep) {
                    server.jdbi().useHandle(handle -> handle.createUpdate(SQL.locate(Scratch.class, "dropDatabase"))
                            .define("name", name).execute());
                }
            }
        } else if (!keep) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the bench database folder " + folder, e);
            }
        }
    }
}

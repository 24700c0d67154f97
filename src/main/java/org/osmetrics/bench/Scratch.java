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

    /** Roles made for this scratch database (dropped with it), the owner first. */
    private final java.util.List<String> roles = new java.util.ArrayList<>();
    /** How to log in as a role made here: the server's URL and the database, the role's name and password. */
    private DatabaseSettings serverSettings;
    private final java.util.Map<String, String> passwords = new java.util.HashMap<>();

    private Scratch(Database database, Database server, String name, Path folder, boolean keep) {
        this.database = database;
        this.server = server;
        this.name = name;
        this.folder = folder;
        this.keep = keep;
    }

    /**
     * A scratch database owned and migrated by a new owner role that is no superuser (README, "Access": with
     * CREATEROLE, without SUPERUSER), as row-level security applies only then. The given user must be a superuser
     * (or have CREATEROLE and CREATEDB). {@link #database()} is the owner's connection.
     */
    public static Scratch openOwned(DatabaseSettings given, boolean keep) {
        Database server = given.embedded()
                ? Database.open(new DatabaseSettings(null, null, null, temporaryFolder()))
                : Database.open(given);
        String stamp = String.valueOf(Clock.systemUTC().millis());
        String name = "osmetrics_bench_" + stamp;
        String owner = "osm_bench_owner_" + stamp;
        String password = randomPassword();
        try {
            // names made here from the clock, passwords from SecureRandom: no input text
            server.jdbi().useHandle(handle -> {
                handle.createUpdate(SQL.locate(Scratch.class, "createOwner"))
                        .define("owner", owner).define("password", "'" + password + "'").execute();
                handle.createUpdate(SQL.locate(Scratch.class, "createOwnedDatabase"))
                        .define("name", name).define("owner", owner).execute();
            });
        } catch (JdbiException e) {
            server.close();
            // Jdbi's message and the exception itself carry the statement, password included: only PostgreSQL's reason
            throw OsMetricsException.database("bench: cannot create an owner role and its database on "
                    + server.description() + " (the user needs to be a superuser): " + reason(e), null);
        }
        if (!(server.dataSource() instanceof PGSimpleDataSource serverSource)) {
            server.close();
            throw new IllegalStateException("bench: the server's data source is not pgjdbc's");
        }
        PGSimpleDataSource named = new PGSimpleDataSource();
        named.setURL(serverSource.getURL());
        named.setDatabaseName(name);
        String url = named.getURL();
        Database database = Database.open(new DatabaseSettings(url, owner, password, null));
        database.migrate();
        Scratch scratch = new Scratch(database, server, name, null, keep);
        scratch.serverSettings = new DatabaseSettings(url, null, null, null);
        scratch.roles.add(owner);
        scratch.passwords.put(owner, password);
        return scratch;
    }

    /** PostgreSQL's own reason for a failed statement (its message names no statement text), else the kind of error. */
    private static String reason(JdbiException e) {
        return e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getClass().getSimpleName();
    }

    /** Creates a login (dropped with the database) and returns its password; as the owner (CREATEROLE). */
    public String createLogin(String role) {
        String password = randomPassword();
        try {
            database.jdbi().useHandle(handle -> handle.createUpdate(SQL.locate(Scratch.class, "createLogin"))
                    .define("role", role).define("password", "'" + password + "'").execute());
        } catch (JdbiException e) {   // as above: never the statement, which holds the password
            throw OsMetricsException.database("bench: cannot create the login " + role + ": " + reason(e), null);
        }
        roles.add(role);
        passwords.put(role, password);
        return password;
    }

    /** A connection pool-less data source logged in as a role made here. */
    public javax.sql.DataSource loginAs(String role) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(serverSettings.url());
        source.setUser(role);
        source.setPassword(passwords.get(role));
        return source;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("os-metrics-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the bench database", e);
        }
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
            throw OsMetricsException.database("bench: cannot create a scratch database on " + given.describe()
                    + " (the user needs CREATEDB): " + reason(e), e);
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
                    server.jdbi().useHandle(handle -> {
                        handle.createUpdate(SQL.locate(Scratch.class, "dropDatabase")).define("name", name).execute();
                        for (int i = roles.size() - 1; i >= 0; i--) {
                            handle.createUpdate(SQL.locate(Scratch.class, "dropRole")).define("role", roles.get(i)).execute();
                        }
                    });
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

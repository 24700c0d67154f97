package org.osmetrics.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.config.DatabaseSettings;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database os-metrics works on: a PostgreSQL server by URL, or the embedded PostgreSQL of a data folder,
 * shared with the other os-metrics processes using that folder ({@link EmbeddedServer}: started by the first,
 * stopped on {@link #close()} of the last). One instance per process, passed down; never a static singleton.
 */
public final class Database implements AutoCloseable {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** The database created inside the embedded server. */
    static final String EMBEDDED_DATABASE = "osmetrics";
    static final String[] MIGRATION_LOCATIONS = {"classpath:db/migration", "classpath:sql-reports"};

    /**
     * Session settings of every connection os-metrics opens. JIT compilation off: the report views' plans are
     * large and their answers small, and compiling them costs seconds a query (invoice_monthly of a small cloud:
     * 2.8 s with JIT, 0.3 s without, on PostgreSQL 15).
     */
    static final String SESSION_OPTIONS = "-c jit=off";

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final String description;
    private final EmbeddedServer embedded;

    private Database(DataSource dataSource, String description, EmbeddedServer embedded) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.description = description;
        this.embedded = embedded;
    }

    /** Opens (and for the embedded default, starts) the database and checks that it answers. */
    public static Database open(DatabaseSettings settings) {
        Database database = settings.embedded() ? startEmbedded(settings.dataDir()) : connect(settings);
        try {
            database.checkConnection();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private static Database connect(DatabaseSettings settings) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(settings.url());
        if (settings.user() != null) {
            source.setUser(settings.user());
        }
        if (settings.password() != null) {
            source.setPassword(settings.password());
        }
        source.setApplicationName("os-metrics");
        withSessionOptions(source);
        if (source.getConnectTimeout() == 0) {
            source.setConnectTimeout(10);
        }
        return new Database(source, settings.describe(), null);
    }

    /** Adds {@link #SESSION_OPTIONS} to the options the URL may already give (those the URL gives win). */
    static void withSessionOptions(PGSimpleDataSource source) {
        String given = source.getOptions();
        source.setOptions(given == null || given.isBlank() ? SESSION_OPTIONS : SESSION_OPTIONS + " " + given);
    }

    private static Database startEmbedded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        for (Path existing = dir; existing != null; existing = existing.getParent()) {
            if (Files.exists(existing)) {
                if (!Files.isDirectory(existing)) {
                    throw OsMetricsException.usage("the data folder " + dir + (existing.equals(dir) ? " is" : " is under")
                            + " a file, not a directory" + (existing.equals(dir) ? "" : " (" + existing + ")")
                            + ": give --data-dir a folder for the embedded PostgreSQL (it is created if missing)");
                }
                break;
            }
        }
        EmbeddedServer server = EmbeddedServer.join(dir, EMBEDDED_DATABASE);
        return new Database(server.dataSource(EMBEDDED_DATABASE), "embedded PostgreSQL in " + dir, server);
    }

    private void checkConnection() {
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw OsMetricsException.database("cannot connect to " + description + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Applies pending migrations (schema and report views); returns how many were applied. A role that may not
     * migrate (the loader, a reader, a tenant: README, "Access") migrates nothing: on an up-to-date database it
     * goes on, and when migrations are pending it fails at once instead of half way through one.
     *
     * @throws OsMetricsException exit 5 when migrations are pending and this role cannot apply them, or one fails
     */
    public int migrate() {
        try {
            Flyway flyway = flyway();
            Optional<RoleRights> rights = jdbi.withHandle(handle -> handle.createQuery(ROLE_RIGHTS)
                    .map((rs, ctx) -> new RoleRights(rs.getString("role"), rs.getBoolean("history_exists"),
                            rs.getBoolean("history_readable"), rs.getBoolean("reports_only")))
                    .findOne());
            if (rights.isEmpty()) {
                return flyway.migrate().migrationsExecuted;
            }
            RoleRights role = rights.get();
            if (role.historyExists() && !role.historyReadable()) {
                if (role.reportsOnly()) {
                    // a reader or a tenant: it cannot tell, and the views it reads say themselves what is missing
                    return 0;
                }
                throw OsMetricsException.database("cannot tell whether the database " + description + " is up to date:"
                        + " role " + role.role() + " may neither read its migration history nor migrate (a database"
                        + " older than this os-metrics, or a login without the loader's rights); run `os-metrics db"
                        + " migrate` once as the owner role, and GRANT os_metrics_loader TO " + role.role()
                        + " (README, \"Access\")", null);
            }
            MigrationInfo[] pending = flyway.info().pending();
            if (pending.length > 0) {
                MigrationInfo first = pending[0];
                throw OsMetricsException.database("the database " + description + " has "
                        + Phrases.count(pending.length, "pending migration") + " (first: " + (first.getVersion() == null ? "" : "V" + first.getVersion() + " ")
                        + first.getDescription() + ") but role " + role.role() + " cannot apply them (it does not own"
                        + " the schemas metrics and report); run `os-metrics db migrate` once as the owner role (README,"
                        + " \"Access\")", null);
            }
            return 0;
        } catch (FlywayException e) {
            throw OsMetricsException.database("database migration failed on " + description + ": " + firstLine(e.getMessage()), e);
        }
    }

    private record RoleRights(String role, boolean historyExists, boolean historyReadable, boolean reportsOnly) {
    }

    /**
     * One row, for a role that may not migrate: it neither owns the schemas (nor is a member of their owner) nor,
     * before they exist, may create schemas in the database. No row: it may migrate.
     */
    private static final String ROLE_RIGHTS = SQL.locate(Database.class, "roleRights");

    /** The state of every migration, applied or pending. */
    public List<Migration> migrations() {
        try {
            return Arrays.stream(flyway().info().all()).map(Database::migration).toList();
        } catch (FlywayException e) {
            throw OsMetricsException.database("cannot read the migration state of " + description + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static Migration migration(MigrationInfo info) {
        String version = info.getVersion() != null ? info.getVersion().getVersion() : info.getType().isSynthetic() ? "-" : "R";
        return new Migration(version, info.getDescription(), info.getScript(), info.getChecksum(),
                info.getState().getDisplayName(), info.getState().isApplied(),
                info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant());
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATION_LOCATIONS)
                .schemas("metrics", "report")
                .defaultSchema("metrics")
                .createSchemas(true)
                .cleanDisabled(true)
                .load();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Where the data is, safe to print (no password). */
    public String description() {
        return description;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package org.osmetrics.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.DatabaseSettings;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database os-metrics works on: a PostgreSQL server by URL, or the embedded PostgreSQL of a data folder,
 * shared with the other os-metrics processes using that folder ({@link EmbeddedServer}: started by the first,
 * stopped on {@link #close()} of the last). One instance per process, passed down; never a static singleton.
 */
public final class Database implements AutoCloseable {
    /** The database created inside the embedded server. */
    static final String EMBEDDED_DATABASE = "osmetrics";
    static final String[] MIGRATION_LOCATIONS = {"classpath:db/migration", "classpath:sql-reports"};

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
        if (source.getConnectTimeout() == 0) {
            source.setConnectTimeout(10);
        }
        return new Database(source, settings.describe(), null);
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

    /** Applies pending migrations (schema and report views); returns how many were applied. */
    public int migrate() {
        try {
            MigrateResult result = flyway().migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw OsMetricsException.database("database migration failed on " + description + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** The state of every migration, applied or pending. */
    public List<MigrationInfo> migrationInfo() {
        try {
            return List.of(flyway().info().all());
        } catch (FlywayException e) {
            throw OsMetricsException.database("cannot read the migration state of " + description + ": " + firstLine(e.getMessage()), e);
        }
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

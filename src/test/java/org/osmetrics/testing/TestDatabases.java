package org.osmetrics.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;

/**
 * Real PostgreSQL databases for tests. Each {@link #fresh()} creates a new, migrated database, on the
 * server named by {@code OS_METRICS_TEST_DB_URL} when that is set (CI points it at the machine's
 * PostgreSQL), else on one embedded PostgreSQL started once per test JVM. {@link #freshEmbedded()}
 * always uses the embedded server, so both paths are proven when the variable is set.
 */
public final class TestDatabases {
    public static final String EXTERNAL_URL_VARIABLE = "OS_METRICS_TEST_DB_URL";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    /** A handle on one fresh test database; {@link #close()} drops it. */
    public record TestDatabase(String jdbcUrl, Database database, String adminUrl, String name) implements AutoCloseable {
        public org.jdbi.v3.core.Jdbi jdbi() {
            return database.jdbi();
        }

        @Override
        public void close() {
            database.close();
            try (Connection admin = DriverManager.getConnection(adminUrl);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                // the owner login of freshMigratedByOwner, if any (roles are cluster-wide)
                statement.execute("DROP ROLE IF EXISTS " + ownerName(name));
            } catch (SQLException e) {
                // a leftover test database is harmless; the next run uses other names
            }
        }
    }

    /** The external server's URL, or null when the tests run on the embedded server only. */
    public static String externalUrl() {
        String url = System.getenv(EXTERNAL_URL_VARIABLE);
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** A fresh migrated database on the external server if configured, else on the embedded one. */
    public static TestDatabase fresh() {
        String external = externalUrl();
        return external != null ? freshOn(external) : freshEmbedded();
    }

    /** A fresh migrated database on the embedded server (started on first use). */
    public static TestDatabase freshEmbedded() {
        return freshOn(embedded().getJdbcUrl("postgres", "postgres"));
    }

    /** A fresh, empty (not migrated) database: for tests of the migrations themselves. */
    public static TestDatabase freshUnmigrated() {
        String external = externalUrl();
        return create(external != null ? external : embedded().getJdbcUrl("postgres", "postgres"), false);
    }

    /**
     * A fresh database with the versioned migrations up to {@code version} only, as an older release left it
     * (no report views: today's need the latest tables): for tests of an upgrade, which then call
     * {@code database().migrate()}.
     */
    public static TestDatabase freshAtVersion(String version) {
        TestDatabase test = freshUnmigrated();
        Flyway.configure().dataSource(test.database().dataSource()).locations("classpath:db/migration")
                .schemas("metrics", "report").defaultSchema("metrics").createSchemas(true).target(version).load()
                .migrate();
        return test;
    }

    /**
     * A fresh database set up as README "Access" says, for tests of isolation: owned and migrated by a new login
     * {@link #ownerName} that is no superuser (so the report views it owns are subject to row-level security),
     * with CREATEROLE and CREATE on schema public taken from PUBLIC by the DBA. {@code jdbi()} is the admin's.
     */
    public static TestDatabase freshMigratedByOwner() {
        TestDatabase test = freshUnmigrated();
        String owner = ownerName(test.name());
        test.jdbi().useHandle(h -> {
            h.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'test-only' CREATEROLE");
            h.execute("ALTER DATABASE " + test.name() + " OWNER TO " + owner);
            h.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        });
        String url = test.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        url += (url.contains("?") ? "&" : "?") + "user=" + owner + "&password=test-only";
        try (Database asOwner = Database.open(new DatabaseSettings(url, null, null, null))) {
            asOwner.migrate();
        }
        return test;
    }

    /** The owner login of {@link #freshMigratedByOwner}'s database {@code name}. */
    public static String ownerName(String name) {
        return "owner_" + name;
    }

    private static TestDatabase freshOn(String adminUrl) {
        return create(adminUrl, true);
    }

    private static TestDatabase create(String adminUrl, boolean migrate) {
        String name = "osm_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(adminUrl);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + DatabaseSettings.redactUrl(adminUrl), e);
        }
        String url = withDatabase(adminUrl, name);
        Database database = Database.open(new DatabaseSettings(url, null, null, null));
        if (migrate) {
            database.migrate();
        }
        return new TestDatabase(url, database, adminUrl, name);
    }

    /** Replaces the database name of a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int pathStart = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String base = pathStart < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, pathStart);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    private static synchronized EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder()
                        .setDataDirectory(Files.createTempDirectory("osm-test-pg"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("max_connections", "100")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
            }
            EmbeddedPostgres started = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the temp data folder is removed by the server's own cleanup
                }
            }));
        }
        return embedded;
    }
}

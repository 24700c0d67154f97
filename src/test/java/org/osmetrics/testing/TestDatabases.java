package org.osmetrics.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Real PostgreSQL databases for tests. Each {@link #fresh()} creates a new, migrated database on the one server
 * the test JVM chose at its first use ({@link #choose}): the server named by {@code OS_METRICS_TEST_DB_URL} when
 * that is set (CI points it at the machine's PostgreSQL), else a Testcontainers PostgreSQL when a Docker engine
 * answers, else an embedded PostgreSQL; the choice is said once on the console. {@link #freshEmbedded()} always
 * uses the embedded server, so both paths are proven when the variable is set. Test classes take their database
 * through {@link TestDatabaseExtension}.
 */
public final class TestDatabases {
    public static final String EXTERNAL_URL_VARIABLE = "OS_METRICS_TEST_DB_URL";
    /** The PostgreSQL major of the embedded binaries (pom.xml), the Testcontainers image and docker-compose.yml. */
    public static final int POSTGRES_MAJOR = 16;
    public static final String TESTCONTAINERS_IMAGE = "postgres:" + POSTGRES_MAJOR;
    /** The process's own standard error: surefire sends System.out and System.err to the test's report files. */
    private static final PrintStream CONSOLE = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres embedded;
    private static String chosenAdminUrl;

    /** Where the tests' databases live. */
    public enum Server {
        /** {@code OS_METRICS_TEST_DB_URL}'s server. */
        EXTERNAL,
        /** A PostgreSQL container started through the Docker engine, once per test JVM. */
        TESTCONTAINERS,
        /** An embedded PostgreSQL started once per test JVM. */
        EMBEDDED
    }

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

    /**
     * The server for {@code externalUrl} (the variable's value, possibly null or blank) and a Docker engine that
     * answers or not: the variable wins, then Docker, then the embedded server. {@code dockerAnswers} is only
     * asked when the variable is not set.
     */
    public static Server choose(String externalUrl, BooleanSupplier dockerAnswers) {
        if (externalUrl != null && !externalUrl.isBlank()) {
            return Server.EXTERNAL;
        }
        return dockerAnswers.getAsBoolean() ? Server.TESTCONTAINERS : Server.EMBEDDED;
    }

    /**
     * Whether a Docker engine may answer, judged without I/O beyond a look at files: {@code DOCKER_HOST} is set,
     * a Docker socket exists (the system's or Docker Desktop's under {@code home}) or Testcontainers has its
     * settings file in {@code home}. Only then is Testcontainers asked (its own probe is slow to say no).
     */
    public static boolean dockerMayAnswer(Map<String, String> env, Path home) {
        String dockerHost = env.get("DOCKER_HOST");
        return (dockerHost != null && !dockerHost.isBlank())
                || Files.exists(Path.of("/var/run/docker.sock"))
                || (home != null && (Files.exists(home.resolve(".docker/run/docker.sock"))
                        || Files.exists(home.resolve(".testcontainers.properties"))));
    }

    private static boolean dockerAnswers() {
        if (!dockerMayAnswer(System.getenv(), Path.of(System.getProperty("user.home", "")))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The chosen server's admin URL; the first call chooses, starts it and says which on the console. */
    static synchronized String serverAdminUrl() {
        if (chosenAdminUrl == null) {
            Server server = choose(externalUrl(), TestDatabases::dockerAnswers);
            chosenAdminUrl = switch (server) {
                case EXTERNAL -> externalUrl();
                case TESTCONTAINERS -> containerAdminUrl();
                case EMBEDDED -> embedded().getJdbcUrl("postgres", "postgres");
            };
            CONSOLE.println("TEST DATABASE: " + switch (server) {
                case EXTERNAL -> "the server of " + EXTERNAL_URL_VARIABLE + " ("
                        + DatabaseSettings.redactUrl(chosenAdminUrl) + ")";
                case TESTCONTAINERS -> "a Testcontainers PostgreSQL (" + TESTCONTAINERS_IMAGE + ")";
                case EMBEDDED -> "an embedded PostgreSQL " + POSTGRES_MAJOR + " (set " + EXTERNAL_URL_VARIABLE
                        + " or start a Docker engine to use another)";
            });
        }
        return chosenAdminUrl;
    }

    /** A fresh migrated database on the chosen server. */
    public static TestDatabase fresh() {
        return freshOn(serverAdminUrl());
    }

    /** A fresh migrated database on the embedded server (started on first use). */
    public static TestDatabase freshEmbedded() {
        return freshOn(embedded().getJdbcUrl("postgres", "postgres"));
    }

    /** A fresh, empty (not migrated) database: for tests of the migrations themselves. */
    public static TestDatabase freshUnmigrated() {
        return create(serverAdminUrl(), false);
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

    private static String containerAdminUrl() {
        PostgreSQLContainer<?> started = new PostgreSQLContainer<>(TESTCONTAINERS_IMAGE)
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=100");
        started.start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        String url = started.getJdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "user=" + started.getUsername() + "&password="
                + started.getPassword();
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

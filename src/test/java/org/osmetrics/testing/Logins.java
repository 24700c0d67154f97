package org.osmetrics.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Real login roles for tests of privileges. Roles are cluster-wide (the CI server hosts the test databases of
 * several JVMs): each name ends with the test database's own name, so concurrent test runs never share one.
 */
public final class Logins {
    public static final String PASSWORD = "test-only";

    private Logins() {
    }

    /** A login on one test database; {@link #close()} drops it. */
    public record Login(String name, TestDatabase db) implements AutoCloseable {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(urlWithoutUser(db), name, PASSWORD);
        }

        /** The test database's URL with this login's user and password, for a command's --db-url. */
        public String jdbcUrl() {
            String url = urlWithoutUser(db);
            return url + (url.contains("?") ? "&" : "?") + "user=" + name + "&password=" + PASSWORD;
        }

        @Override
        public void close() {
            db.jdbi().useHandle(h -> {
                // its sessions first: a role with a session cannot be dropped
                h.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?", name);
                h.execute("DROP OWNED BY " + name);
                h.execute("DROP ROLE " + name);
            });
        }
    }

    /** Creates login {@code prefix_<database name>} and runs {@code setup} (SQL, {@code %s} = the login) as the admin. */
    public static Login create(TestDatabase db, String prefix, String... setup) {
        String name = prefix + "_" + db.name();
        db.jdbi().useHandle(h -> {
            h.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + PASSWORD + "'");
            for (String sql : setup) {
                h.execute(sql.replace("%s", name));
            }
        });
        return new Login(name, db);
    }

    /** The test URL names the admin user: without it, a login connects as itself. */
    static String urlWithoutUser(TestDatabase db) {
        return db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }
}

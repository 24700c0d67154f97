package org.osmetrics.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/** A fresh migrated database holding the hand-computed small cloud of {@code small-cloud.sql}. */
public final class SmallCloudData {

    private SmallCloudData() {
    }

    public static TestDatabase load() {
        TestDatabase test = TestDatabases.fresh();
        try {
            execute(test, script("small-cloud.sql"));
            return test;
        } catch (RuntimeException e) {
            test.close();
            throw e;
        }
    }

    /** As {@link #load()}, on a database owned and migrated by a login that is no superuser (README, "Access"). */
    public static TestDatabase loadOwnedByOwner() {
        TestDatabase test = TestDatabases.freshMigratedByOwner();
        try {
            execute(test, script("small-cloud.sql"));
            return test;
        } catch (RuntimeException e) {
            test.close();
            throw e;
        }
    }

    static void execute(TestDatabase test, String sql) {
        try (Connection connection = test.database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test data did not load: " + e.getMessage(), e);
        }
    }

    static String script(String name) {
        try (InputStream in = SmallCloudData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

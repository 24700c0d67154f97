package org.osmetrics.testing;

import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osmetrics.load.Database;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * A fresh test database for a test class, the way Jdbi's {@code JdbiExtension} gives one: registered on a
 * {@code static} field with {@code @RegisterExtension}, it creates the database before the class's first test
 * and drops it after the last; on an instance field, one per test. The server is {@link TestDatabases}' one
 * choice ({@code OS_METRICS_TEST_DB_URL}, else Testcontainers when a Docker engine answers, else embedded).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();
 * ... DB.jdbi() ...
 * }</pre>
 */
public final class TestDatabaseExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final Supplier<TestDatabase> create;
    private TestDatabase test;
    private boolean perTest;

    private TestDatabaseExtension(Supplier<TestDatabase> create) {
        this.create = create;
    }

    /** A database with every migration applied (the usual). */
    public static TestDatabaseExtension migrated() {
        return new TestDatabaseExtension(TestDatabases::fresh);
    }

    /** A database {@code create} makes (migrated, with data: e.g. {@code SmallCloudData::load}); dropped by its close. */
    public static TestDatabaseExtension of(Supplier<TestDatabase> create) {
        return new TestDatabaseExtension(create);
    }

    /** A database with no migration applied: for tests of the migrations. */
    public static TestDatabaseExtension unmigrated() {
        return new TestDatabaseExtension(TestDatabases::freshUnmigrated);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        test = create.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (test == null) { // an instance field: JUnit does not call beforeAll
            perTest = true;
            test = create.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            close();
        }
    }

    private void close() {
        if (test != null) {
            try (TestDatabase closing = test) {
                test = null;
            }
        }
    }

    /** The test database (its URL, admin URL and name). */
    public TestDatabase test() {
        if (test == null) {
            throw new IllegalStateException("the test database exists only while the class's tests run");
        }
        return test;
    }

    public Jdbi jdbi() {
        return test().jdbi();
    }

    public Database database() {
        return test().database();
    }

    public String jdbcUrl() {
        return test().jdbcUrl();
    }
}

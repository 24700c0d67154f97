package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * The finance role os_metrics_reader, on a real database: it reads every report view (views run with
 * their owner's rights) and can neither read nor write anything else.
 */
class ReaderRoleTest {
    private static final String PERMISSION_DENIED = "42501";
    /** A view that is not automatically updatable refuses writes even before the privileges are checked. */
    private static final String VIEW_NOT_UPDATABLE = "55000";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    private static Connection asReader() throws SQLException {
        Connection connection = db.database().dataSource().getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE os_metrics_reader");
        }
        return connection;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void assertDenied(Connection connection, String sql) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isIn(PERMISSION_DENIED, VIEW_NOT_UPDATABLE));
    }

    @Test
    void readerRoleCannotLogInByItself() {
        Boolean canLogin = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'os_metrics_reader'").mapTo(Boolean.class).one());
        assertThat(canLogin).isFalse();
    }

    @Test
    void readerAndOwnerSeeTheSameCloudKeysForCloudOption() throws SQLException {
        List<String> owner = CloudKeys.read(db.database().dataSource());
        try (Connection reader = asReader(); Handle handle = Jdbi.open(reader)) {
            assertThat(CloudKeys.read(handle)).as("from report.coverage: metrics.cloud is not the reader's")
                    .isEqualTo(owner).containsExactly("keystone.example:5000/RegionOne");
        }
    }

    @Test
    void readerAndOwnerReadTheSameMonthForExportMonth() throws SQLException {
        java.time.YearMonth october = java.time.YearMonth.of(2026, 10);
        BillingMonth.Range owner = BillingMonth.of(db.database().dataSource(), october, null);
        try (Connection reader = asReader(); Handle handle = Jdbi.open(reader)) {
            assertThat(BillingMonth.of(handle, october, null)).as("from report.completeness: metrics.cloud is not the reader's")
                    .isEqualTo(owner).isEqualTo(new BillingMonth.Range(java.time.Instant.parse("2026-10-01T00:00:00Z"),
                            java.time.Instant.parse("2026-11-01T00:00:00Z")));
            assertThat(BillingMonth.of(handle, october, "keystone.example:5000/RegionOne")).isEqualTo(owner);
        }
    }

    @Test
    void readerReadsEveryReportView() throws SQLException {
        try (Connection reader = asReader()) {
            for (ReportDefinition report : ReportCatalog.all()) {
                assertThat(count(reader, "SELECT count(*) FROM " + report.view())).as(report.name()).isPositive();
            }
            assertThat(count(reader, "SELECT count(*) FROM report.invoice_monthly WHERE month = '2026-10'")).isEqualTo(12);
        }
    }

    @Test
    void readerCanNeitherReadNorWriteAnythingElse() throws SQLException {
        try (Connection reader = asReader()) {
            assertDenied(reader, "SELECT * FROM metrics.usage_fact");
            assertDenied(reader, "SELECT * FROM metrics.rate_card");
            assertDenied(reader, "SELECT * FROM metrics.flyway_schema_history");
            assertDenied(reader, "INSERT INTO metrics.rate_card (resource, unit_price, currency, minor_units, valid_from,"
                    + " source, run_id) VALUES ('vcpu_hour', 0, 'EUR', 2, now(), 'x', 1)");
            assertDenied(reader, "DELETE FROM report.server_usage");
            assertDenied(reader, "UPDATE report.project_usage_monthly SET server_count = 0");
            assertDenied(reader, "CREATE TABLE report.mine (x int)");
            assertDenied(reader, "CREATE VIEW report.mine AS SELECT 1");
            assertDenied(reader, "CREATE TABLE public.mine (x int)");
            assertDenied(reader, "DROP VIEW report.server_usage");
        }
        List<Map<String, Object>> tablesReadable = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT table_schema, table_name FROM information_schema.tables "
                        + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                        + "AND has_table_privilege('os_metrics_reader', quote_ident(table_schema) || '.' || quote_ident(table_name), "
                        + "'SELECT,INSERT,UPDATE,DELETE,TRUNCATE') AND table_schema <> 'report'").mapToMap().list());
        assertThat(tablesReadable).isEmpty();
    }

    @Test
    void aLoginGrantedTheRoleByADbaReadsTheReports() throws SQLException {
        String login = "finance_" + UUID.randomUUID().toString().substring(0, 8);
        db.jdbi().useHandle(h -> {
            h.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'test-only'");
            h.execute("GRANT os_metrics_reader TO " + login);
        });
        // the test URL names the admin user: log in with the new login instead
        String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        try (Connection finance = DriverManager.getConnection(url, login, "test-only")) {
            assertThat(count(finance, "SELECT count(*) FROM (SELECT current_user) u WHERE current_user = '" + login + "'"))
                    .isEqualTo(1);
            assertThat(count(finance, "SELECT count(*) FROM report.project_usage_monthly")).isEqualTo(4);
            assertDenied(finance, "SELECT * FROM metrics.server");
        } finally {
            db.jdbi().useHandle(h -> h.execute("DROP ROLE " + login));
        }
    }
}

package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.Logins;
import org.osmetrics.testing.Logins.Login;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Per-project access enforced by PostgreSQL (issue #19), with real logins: two tenants (one a login granted a
 * project, one a member of a group granted another) and finance's reader query every view of schema report with
 * plain SQL. The views are enumerated from the catalog, so a view added without the rule fails here.
 */
class TenantAccessTest {
    private static final String PERMISSION_DENIED = "42501";
    private static final String CLOUD = "keystone.example:5000/RegionOne";
    /** The columns that say whose a row is, in the order they are looked for in a view (FOCUS: SubAccountId). */
    private static final List<String> PROJECT_COLUMNS = List.of("project_id", "tenant_id", "scope", "SubAccountId");

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::loadOwnedByOwner);
    private static Login alpha;
    private static Login betaGroup;
    private static Login beta;
    private static Login reader;

    @BeforeAll
    static void setUp() {
        // a range extracted for one project alone, so that report.coverage has a project's row too
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end, stop,"
                + " provisional, microversion, server_count, extracted_at, run_id) VALUES (1, 'p-gamma', '2026-10-25 00:00Z',"
                + " '2026-10-26 00:00Z', '2026-10-26 00:00Z', false, '2.40', 1, '2026-10-26 01:00Z', 1)"));
        // timelines: intervals of an alpha and a beta server, and hours Nova dropped recovered for the beta one, so
        // that report.server_usage_by_state has divided and recovered rows of both projects
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to,"
                + " vm_state, flavor_id) VALUES (1, '00000000-0000-0000-0000-000000000001', '2026-10-05 08:00Z',"
                + " '2026-10-05 16:00Z', 'stopped', 1), (1, '00000000-0000-0000-0000-000000000001', '2026-10-05 16:00Z', NULL,"
                + " 'active', 1), (1, '00000000-0000-0000-0000-000000000004', '2026-10-21 12:00Z', NULL, 'shelved_offloaded', 3)"));
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.recovered_usage (cloud_id, instance_id, window_start, window_end,"
                + " vm_state, flavor_id, project_id, vcpus, memory_mb, local_gb, hours) VALUES (1,"
                + " '00000000-0000-0000-0000-000000000004', '2026-10-19 00:00Z', '2026-10-20 00:00Z', 'active', 3, 'p-beta', 8,"
                + " 32768, 0, 24)"));
        alpha = Logins.create(db.test(), "alpha");
        betaGroup = Logins.create(db.test(), "betateam", "ALTER ROLE %s NOLOGIN");
        beta = Logins.create(db.test(), "beta", "GRANT " + betaGroup.name() + " TO %s");
        reader = Logins.create(db.test(), "finance");
        CommandRun grantAlpha = access("grant", alpha.name(), "--project", "p-alpha");
        assertThat(grantAlpha.exitCode()).as(grantAlpha.err()).isZero();
        assertThat(grantAlpha.out()).contains("sees project p-alpha");
        // by name, and for a group: its member sees it, and gets the login settings (as the command does it)
        ProjectAccess access = new ProjectAccess(db.jdbi());
        access.grant(betaGroup.name(), List.of("=HYPERLINK(\"http://x\")"), CLOUD, false, ProjectAccess.LoginSettings.DEFAULT,
                "access grant (test)");
        access.grant(reader.name(), List.of(), null, true, ProjectAccess.LoginSettings.DEFAULT, "access grant (test)");
    }

    @AfterAll
    static void tearDown() {
        for (Login login : List.of(alpha, beta, betaGroup, reader)) {
            login.close();
        }
    }

    private static CommandRun access(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "access";
        System.arraycopy(args, 0, full, 1, args.length);
        return CommandRun.of(Map.of("OS_METRICS_DB_URL", db.jdbcUrl()), full);
    }

    private static List<String> views() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'report' AND c.relkind IN ('v', 'm') ORDER BY 1").mapTo(String.class).list());
    }

    private static String projectColumn(String view) {
        List<String> columns = db.jdbi().withHandle(h -> h.createQuery("SELECT attname FROM pg_attribute"
                + " WHERE attrelid = ('report.' || quote_ident(:view))::regclass AND attnum > 0 AND NOT attisdropped")
                .bind("view", view).mapTo(String.class).list());
        return PROJECT_COLUMNS.stream().filter(columns::contains).findFirst().orElse(null);
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    /** Every row of the view as text, optionally only those of some projects, sorted. */
    private static List<String> rowsOf(Connection connection, String view, Set<String> projects) throws SQLException {
        String column = projectColumn(view);
        String where = projects == null ? "" : " WHERE v.\"" + column + "\" IN ("
                + projects.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")";
        return rows(connection, "SELECT v::text FROM report." + view + " v" + where + " ORDER BY 1");
    }

    @Test
    void eachTenantSeesExactlyItsProjectsRowsInEveryReportViewAndTheReaderSeesAll() throws SQLException {
        List<String> views = views();
        assertThat(views).contains("server_usage", "invoice_monthly", "tenant_usage_document", "coverage", "audit_log", "focus",
                "server_usage_by_state");
        try (Connection admin = db.database().dataSource().getConnection();
             Connection finance = reader.connect();
             Connection tenantAlpha = alpha.connect();
             Connection tenantBeta = beta.connect()) {
            for (String view : views) {
                List<String> all = rowsOf(admin, view, null);
                assertThat(rowsOf(finance, view, null)).as("the reader sees every row of " + view).isEqualTo(all);
                String column = projectColumn(view);
                if (column == null) {
                    assertThat(rowsOf(tenantAlpha, view, null)).as(view + " has no project column: a tenant sees none of it").isEmpty();
                    assertThat(rowsOf(tenantBeta, view, null)).as(view + " has no project column: a tenant sees none of it").isEmpty();
                    continue;
                }
                // scope '*' (ranges extracted for all projects) says which windows are loaded, no project's data
                Set<String> alphaSees = column.equals("scope") ? Set.of("p-alpha", "*") : Set.of("p-alpha");
                Set<String> betaSees = column.equals("scope") ? Set.of("p-beta", "*") : Set.of("p-beta");
                assertThat(rowsOf(tenantAlpha, view, null)).as("alpha's rows of " + view).isEqualTo(rowsOf(admin, view, alphaSees));
                assertThat(rowsOf(tenantBeta, view, null)).as("beta's rows of " + view).isEqualTo(rowsOf(admin, view, betaSees));
                if (!column.equals("scope")) {
                    assertThat(rowsOf(tenantAlpha, view, null)).as("alpha has rows in " + view).isNotEmpty();
                }
            }
            assertThat(rows(tenantAlpha, "SELECT count(*) FROM report.invoice_monthly WHERE project_id <> 'p-alpha'"))
                    .containsExactly("0");
            assertThat(rows(tenantAlpha, "SELECT count(*) FROM report.coverage WHERE scope = 'p-gamma'")).containsExactly("0");
            assertThat(rows(tenantBeta, "SELECT count(*) FROM report.server_usage_by_state WHERE recovered")).containsExactly("1");
            assertThat(rows(tenantAlpha, "SELECT count(*) FROM report.server_usage_by_state WHERE recovered")).containsExactly("0");
            assertThat(rows(tenantAlpha, "SELECT count(*) FROM report.server_usage_by_state WHERE vm_state = 'stopped'"))
                    .containsExactly("1");
        }
    }

    @Test
    void aTenantsOwnConditionsCannotRevealAnotherProjectsRowThroughAnErrorMessage() throws SQLException {
        try (Connection tenantAlpha = alpha.connect()) {
            for (String sql : List.of("SELECT * FROM report.server_usage WHERE project_name::int = 0",
                    "SELECT * FROM report.project_usage_monthly WHERE project_name::int = 0",
                    "SELECT * FROM report.invoice_monthly WHERE project_name::numeric = 0")) {
                assertThatThrownBy(() -> rows(tenantAlpha, sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getMessage()).contains("Alpha").doesNotContain("HYPERLINK").doesNotContain("Ünïcødé"));
            }
        }
    }

    @Test
    void aTenantsOwnConditionsOnTheRollupsRunOnNoRowSoTheyCannotRevealACustomerOrDomain() throws SQLException {
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO metrics.customer (name, cost_centre, tax_rate, currency, source, run_id)"
                    + " VALUES ('Beta GmbH', 'CC-beta', 19, 'EUR', 'test', 1) ON CONFLICT DO NOTHING");
            h.execute("INSERT INTO metrics.project_customer (project_id, customer_id, source) SELECT 'p-beta', customer_id,"
                    + " 'test' FROM metrics.customer WHERE name = 'Beta GmbH' ON CONFLICT DO NOTHING");
            h.execute("UPDATE metrics.project SET domain_id = 'd-beta' WHERE project_id = 'p-beta'");
        });
        List<String> casts = List.of("SELECT count(*) FROM report.customer_monthly WHERE customer::int = 0",
                "SELECT count(*) FROM report.cost_centre_monthly WHERE cost_centre::int = 0",
                "SELECT count(*) FROM report.domain_monthly WHERE domain_id::int = 0");
        try (Connection finance = reader.connect(); Connection tenantAlpha = alpha.connect()) {
            for (String sql : casts) {
                // finance sees the rows, so the cast fails on a name...
                assertThatThrownBy(() -> rows(finance, sql)).as(sql).isInstanceOf(SQLException.class);
                // ...a tenant's runs on no row at all: nothing to show, not even in an error message
                assertThat(rows(tenantAlpha, sql)).as(sql).containsExactly("0");
            }
        }
    }

    @Test
    void tenantsAndTheReaderCanNeitherWriteNorCreateNorTakeAPipelineLock() throws SQLException {
        for (Login login : List.of(alpha, beta, reader)) {
            try (Connection connection = login.connect()) {
                for (String sql : List.of("CREATE TEMP TABLE mine (x int)", "CREATE TABLE report.mine (x int)",
                        "CREATE TABLE public.mine (x int)", "SELECT * FROM metrics.usage_fact",
                        "SELECT * FROM metrics.project_access", "INSERT INTO metrics.project_access VALUES (1, 'p-gamma', 1, 'x')",
                        "SELECT metrics.create_usage_fact_partition('2031-01-01')",
                        "UPDATE metrics.run_lock SET holder_pid = pg_backend_pid()")) {
                    assertThatThrownBy(() -> rows(connection, sql)).as(login.name() + ": " + sql)
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
                }
                connection.setAutoCommit(false);
                assertThatThrownBy(() -> rows(connection, "LOCK TABLE metrics.run_lock")).isInstanceOf(SQLException.class);
                connection.rollback();
                assertThatThrownBy(() -> rows(connection, "LOCK TABLE metrics.usage_fact IN ACCESS SHARE MODE")).isInstanceOf(SQLException.class);
                connection.rollback();
            }
        }
    }

    @Test
    void grantPutsTheTimeoutsAndConnectionLimitOnTheLoginsThemselvesAndListShowsWhoSeesWhat() {
        Map<String, Object> settings = db.jdbi().withHandle(h -> h.createQuery("SELECT r.rolconnlimit,"
                + " (SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS config"
                + " FROM pg_roles r WHERE r.rolname = :login").bind("login", beta.name()).mapToMap().one());
        assertThat(settings.get("rolconnlimit")).isEqualTo(5);
        assertThat((String) settings.get("config")).contains("statement_timeout=15min").contains("idle_in_transaction_session_timeout=5min");

        CommandRun list = access("list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(reader.name()).contains("every project (os_metrics_reader)")
                .containsPattern(alpha.name() + " +" + java.util.regex.Pattern.quote(CLOUD) + " p-alpha");
        assertThat(list.out()).containsPattern(betaGroup.name() + " +" + java.util.regex.Pattern.quote(CLOUD) + " p-beta");

        List<Map<String, Object>> audit = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action, subject, db_role, command_line FROM report.audit_log ORDER BY event_id").mapToMap().list());
        assertThat(audit).extracting(row -> row.get("action") + " " + row.get("subject"))
                .contains("access grant " + alpha.name(), "access grant " + reader.name());
    }

    @Test
    void badGrantsAreOneLineWithExitTwo() {
        CommandRun noRole = access("grant", "nobody_" + db.test().name(), "--project", "p-alpha");
        assertThat(noRole.exitCode()).isEqualTo(2);
        assertThat(noRole.errLines()).singleElement().asString().contains("does not exist");
        CommandRun noProject = access("grant", alpha.name(), "--project", "p-nowhere");
        assertThat(noProject.exitCode()).isEqualTo(2);
        assertThat(noProject.errLines()).singleElement().asString().contains("no project 'p-nowhere'");
        CommandRun nothing = access("grant", alpha.name());
        assertThat(nothing.exitCode()).isEqualTo(2);
        CommandRun badTimeout = access("grant", alpha.name(), "--project", "p-alpha", "--statement-timeout", "soon");
        assertThat(badTimeout.exitCode()).isEqualTo(2);
    }

    @Test
    void aTenantGrantIsRefusedWhereTheViewsBelongToASuperuserThroughWhoseViewsEveryRowShows() {
        try (TestDatabase superuserOwned = SmallCloudData.load();
             Login tenant = Logins.create(superuserOwned, "tenant")) {
            CommandRun grant = CommandRun.of(Map.of("OS_METRICS_DB_URL", superuserOwned.jdbcUrl()),
                    "access", "grant", tenant.name(), "--project", "p-alpha");

            assertThat(grant.exitCode()).isEqualTo(3);
            assertThat(grant.errLines()).singleElement().asString().contains("PostgreSQL cannot keep tenants apart here")
                    .contains("superuser");
            long granted = superuserOwned.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.project_access")
                    .mapTo(Long.class).one());
            assertThat(granted).isZero();
        }
    }

    @Test
    void aRevokedTenantSeesNothingMore() throws SQLException {
        try (Login gamma = Logins.create(db.test(), "gamma")) {
            assertThat(access("grant", gamma.name(), "--project", "p-gamma").exitCode()).isZero();
            try (Connection connection = gamma.connect()) {
                assertThat(rows(connection, "SELECT count(*) FROM report.server_usage")).doesNotContain("0");
            }
            CommandRun revoke = access("revoke", gamma.name());
            assertThat(revoke.exitCode()).as(revoke.err()).isZero();
            assertThat(revoke.out()).contains("no longer sees project p-gamma");
            try (Connection connection = gamma.connect()) {
                assertThatThrownBy(() -> rows(connection, "SELECT count(*) FROM report.server_usage"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
            }
        }
    }
}

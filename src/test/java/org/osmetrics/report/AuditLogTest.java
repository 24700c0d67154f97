package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.Logins;
import org.osmetrics.testing.Logins.Login;
import org.osmetrics.testing.TestDatabaseExtension;

/** The audit trail: who changed the rate card (and access: TenantAccessTest), when, readable by finance, append only. */
class AuditLogTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();
    private static Login loader;
    private static Login finance;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        loader = Logins.create(db.test(), "loader", "GRANT os_metrics_loader TO %s");
        finance = Logins.create(db.test(), "finance", "GRANT os_metrics_reader TO %s");
    }

    @AfterAll
    static void tearDown() {
        loader.close();
        finance.close();
    }

    private static CommandRun asLoader(String... args) {
        return CommandRun.of(Map.of("OS_METRICS_DB_URL", loader.jdbcUrl()), args);
    }

    private static List<Map<String, Object>> auditAsFinance() throws SQLException {
        try (Connection connection = finance.connect()) {
            return org.jdbi.v3.core.Jdbi.create(() -> connection).withHandle(h -> h.createQuery(
                    "SELECT action, subject, db_role, login, command_line, detail::text AS detail, run_id, occurred_at"
                            + " FROM report.audit_log ORDER BY event_id").mapToMap().list());
        }
    }

    @Test
    void aRateCardImportIsRecordedWithWhoWhenAndWhatAndFinanceReadsIt() throws Exception {
        CommandRun imported = asLoader("rates", "import", "examples/rates.csv", "--replace");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        Path overlapping = dir.resolve("overlap.csv");
        Files.writeString(overlapping, "resource,flavor,unit_price,currency,valid_from,valid_to\n"
                + "vcpu_hour,,1,EUR,2026-01-01,\n");
        CommandRun refused = asLoader("rates", "import", overlapping.toString());
        assertThat(refused.exitCode()).isNotZero();

        List<Map<String, Object>> audit = auditAsFinance();
        assertThat(audit).as("the refused import changed nothing and left no record").singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("rates import");
            assertThat(row.get("subject")).isEqualTo("rates.csv");
            assertThat(row.get("db_role")).isEqualTo(loader.name());
            assertThat(row.get("login")).isEqualTo(loader.name());
            assertThat(row.get("command_line")).isEqualTo("rates import rates.csv --replace");
            assertThat((String) row.get("detail")).contains("\"prices_added\": 5").contains("\"replace\": true")
                    .contains("\"unit_price\": \"2.50\"").doesNotContain(Logins.PASSWORD);
            assertThat(row.get("run_id")).isNotNull();
            assertThat(row.get("occurred_at")).isNotNull();
        });
    }

    @Test
    void noOneButTheOwnerCanRewriteTheAuditTrail() throws SQLException {
        for (Login login : List.of(loader, finance)) {
            try (Connection connection = login.connect(); Statement statement = connection.createStatement()) {
                for (String sql : List.of("UPDATE metrics.audit_event SET db_role = 'someone'",
                        "DELETE FROM metrics.audit_event", "TRUNCATE metrics.audit_event")) {
                    assertThatThrownBy(() -> statement.execute(sql)).as(login.name() + ": " + sql)
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                }
            }
        }
    }
}

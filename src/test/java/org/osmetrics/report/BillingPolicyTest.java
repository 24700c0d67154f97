package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * The billing policy (issue #16) on the small cloud of {@code small-cloud.sql} (daily windows, October 2026; vCPU
 * 0.010 EUR until 2026-10-16 then 0.012, RAM 0.002 per GiB-hour, disk 0.0001 per GB-hour, gpu.xl 2.50 per hour),
 * with timelines written into metrics.server_interval directly for p-alpha's two servers:
 * S1 m1.small (1 vCPU, 2 GiB, 20 GB), 24 h a day all October: active until 2026-10-11, stopped from then on;
 * S2 m1.large (4 vCPU, 8 GiB, 80 GB), 24 h a day from 2026-10-01, 12 h on 2026-10-15 (deleted at 12:00): active
 * until 2026-10-05T12:00Z, shelved_offloaded from then until its deletion.
 */
class BillingPolicyTest {
    private static final String CLOUD = "keystone.example:5000/RegionOne";
    private static final String EXAMPLE_VERSION = "billing-policy.csv [2020-01-01T00:00:00Z, open)";

    @TempDir
    Path dir;
    @RegisterExtension
    final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeEach
    void smallCloudWithTimelines() {
        insertTimelines(db.jdbi());
    }

    private static void insertTimelines(Jdbi jdbi) {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO metrics.server_interval (cloud_id, instance_id, valid_from, valid_to, vm_state, flavor_id) VALUES
                    (1, '00000000-0000-0000-0000-000000000001', '2026-09-20 00:00Z', '2026-10-11 00:00Z', 'active', 1),
                    (1, '00000000-0000-0000-0000-000000000001', '2026-10-11 00:00Z', NULL, 'stopped', 1),
                    (1, '00000000-0000-0000-0000-000000000002', '2026-10-01 00:00Z', '2026-10-05 12:00Z', 'active', 2),
                    (1, '00000000-0000-0000-0000-000000000002', '2026-10-05 12:00Z', '2026-10-15 12:00Z',
                     'shelved_offloaded', 2),
                    (1, '00000000-0000-0000-0000-000000000002', '2026-10-15 12:00Z', NULL, 'deleted', 2)"""));
    }

    private CommandRun policy(String... args) {
        return policyOn(db.jdbcUrl(), args);
    }

    private static CommandRun policyOn(String dbUrl, String... args) {
        List<String> all = new ArrayList<>(List.of("policy"));
        all.addAll(List.of(args));
        all.addAll(List.of("--db-url", dbUrl));
        return CommandRun.of(Map.of(), all.toArray(String[]::new));
    }

    /** October's invoice lines: project, resource, flavor, quantity, unit price, amount, policy; exact decimals. */
    private List<String> october() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT concat_ws(' ', project_id, resource, flavor, quantity, unit_price, amount, billing_policy)
                FROM report.invoice_monthly WHERE month = '2026-10'
                ORDER BY project_id, resource, price_valid_from""").mapTo(String.class).list());
    }

    private List<String> octoberOf(String project) {
        return october().stream().filter(l -> l.startsWith(project + " ")).toList();
    }

    private List<String> policyRows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT concat_ws(' ', cloud_id, vm_state, vcpu_hour, ram_gb_hour,"
                + " disk_gb_hour, flavor_hour, recovered, valid_from, valid_to, source) FROM metrics.billing_policy"
                + " ORDER BY policy_line_id").mapTo(String.class).list());
    }

    private int auditEvents() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.audit_event").mapTo(Integer.class).one());
    }

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void theInvoiceOfAProjectWithAStoppedAndAShelvedOffloadedServerUnderTheExamplePolicyEqualsTheHandComputation()
            throws IOException {
        List<String> othersBefore = october().stream().filter(l -> !l.startsWith("p-alpha ")).toList();

        CommandRun imported = policy("import", "examples/billing-policy.csv");

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("5 lines added", CLOUD);
        // By hand, p-alpha in October, disk only while stopped or shelved-offloaded:
        //   S1 active Oct 1..10 = 240 h: 240 vCPU-h, 480 GiB-h; stopped Oct 11..31 = 504 h: disk only
        //   S2 active Oct 1..5 12:00 = 108 h: 432 vCPU-h, 864 GiB-h; shelved_offloaded 240 h: disk only
        //   vCPU 240 + 432 = 672, all before the price change of Oct 16 -> 672 x 0.010 = 6.72 (no 0.012 line:
        //   from the 16th S1 is stopped and S2 gone); RAM 480 + 864 = 1344 x 0.002 = 2.688 -> 2.69;
        //   disk, billed in every state: 744 x 20 + 348 x 80 = 42720 x 0.0001 = 4.272 -> 4.27. Total 13.68.
        assertThat(octoberOf("p-alpha")).containsExactly(
                "p-alpha disk_gb_hour 42720 0.0001 4.27 " + EXAMPLE_VERSION,
                "p-alpha ram_gb_hour 1344 0.002 2.69 " + EXAMPLE_VERSION,
                "p-alpha vcpu_hour 672 0.010 6.72 " + EXAMPLE_VERSION);
        // the other projects had no timeline: billed as before, only named under the version
        assertThat(october().stream().filter(l -> !l.startsWith("p-alpha ")).toList())
                .containsExactlyElementsOf(othersBefore.stream().map(l -> l + " " + EXAMPLE_VERSION).toList());

        // the invoice document of p-alpha's customer: 13.68 + 21 % tax (2.8728 -> 2.87) = 16.55, each line naming the policy
        assertThat(CommandRun.of(Map.of(), "customers", "import", "examples/customers.csv", "--db-url", db.jdbcUrl())
                .exitCode()).isZero();
        Path issuer = file("issuer.properties", "name=Test Issuer", "number_prefix=T-");
        CommandRun invoice = CommandRun.of(Map.of(), "invoice", "--month", "2026-10", "--out", dir.resolve("out").toString(),
                "--issuer", issuer.toString(), "--allow-incomplete", "--default-customer", "Beta Research", "--db-url", db.jdbcUrl());
        assertThat(invoice.exitCode()).as(invoice.err()).isZero();
        JsonNode alpha = null;
        for (Path json : Files.list(dir.resolve("out")).filter(p -> p.toString().endsWith(".json")).toList()) {
            JsonNode node = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json.toFile());
            if (node.get("lines").get(0).get("project_id").asText().equals("p-alpha")) {
                alpha = node;
            }
        }
        assertThat(alpha).isNotNull();
        assertThat(alpha.get("subtotal").decimalValue()).isEqualByComparingTo("13.68");
        assertThat(alpha.get("tax").decimalValue()).isEqualByComparingTo("2.87");
        assertThat(alpha.get("total").decimalValue()).isEqualByComparingTo("16.55");
        for (JsonNode line : alpha.get("lines")) {
            assertThat(line.get("billing_policy").asText()).isEqualTo(EXAMPLE_VERSION);
        }
    }

    @Test
    void theBillableViewsSplitTheQuantitiesByStateAndBillWhatThePolicySays() {
        assertThat(policy("import", "examples/billing-policy.csv").exitCode()).isZero();

        List<String> monthly = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT concat_ws(' ', vm_state, recovered, server_count, hours, vcpu_hours, ram_gb_hours, disk_gb_hours,
                                 billable_vcpu_hours, billable_ram_gb_hours, billable_disk_gb_hours, billable_flavor_hours)
                FROM report.project_billable_monthly WHERE month = '2026-10' AND project_id = 'p-alpha'
                ORDER BY vm_state""").mapTo(String.class).list());
        // active: S1 240 h + S2 108 h; stopped: S1 504 h; shelved_offloaded: S2 240 h
        assertThat(monthly).containsExactly(
                "active f 2 348 672 1344 13440 672 1344 13440 348",
                "shelved_offloaded f 1 240 960 1920 19200 0 0 19200 0",
                "stopped f 1 504 504 1008 10080 0 0 10080 0");
        // per server and window: S2's day of the shelve is split 12 h / 12 h
        List<String> shelveDay = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT concat_ws(' ', vm_state, hours, billable_vcpu_hours, billable_disk_gb_hours, billing_policy)
                FROM report.server_usage_billable
                WHERE window_start = '2026-10-05 00:00Z' AND instance_id = '00000000-0000-0000-0000-000000000002'
                ORDER BY vm_state""").mapTo(String.class).list());
        assertThat(shelveDay).containsExactly("active 12 48 960 " + EXAMPLE_VERSION,
                "shelved_offloaded 12 0 960 " + EXAMPLE_VERSION);
        // the daily view adds up to the monthly one
        BigDecimal daily = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(billable_vcpu_hours)"
                + " FROM report.project_billable_daily WHERE month = '2026-10' AND project_id = 'p-alpha'")
                .mapTo(BigDecimal.class).one());
        assertThat(daily).isEqualByComparingTo("672");
    }

    @Test
    void recoveredHoursAreApartAndBilledOnlyWhereThePolicyLineSaysSo() throws IOException {
        // 10 hours Nova dropped, recovered for S2 (m1.large: 4 vCPU, 8 GiB, 80 GB) while stopped, in a window with no fact
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO metrics.recovered_usage (cloud_id, instance_id, window_start, window_end, vm_state, flavor_id,
                                                     project_id, vcpus, memory_mb, local_gb, hours)
                VALUES (1, '00000000-0000-0000-0000-000000000002', '2026-10-20 00:00Z', '2026-10-21 00:00Z', 'stopped', 2,
                        'p-alpha', 4, 8192, 80, 10)"""));
        List<String> today = october();
        assertThat(today).contains("p-alpha disk_gb_hour 42720 0.0001 4.27");

        Path recovered = file("recovered.csv", "vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,flavor_hour,recovered,valid_from,valid_to",
                "stopped,no,no,yes,no,yes,2026-10-01,", "shelved_offloaded,no,no,yes,no,no,2026-10-01,");
        assertThat(policy("import", recovered.toString()).exitCode()).isZero();

        String version = " recovered.csv [2026-10-01T00:00:00Z, open)";
        // as under the example policy, plus the recovered stopped hours' disk: 42720 + 10 x 80 = 43520 GB-h
        assertThat(octoberOf("p-alpha")).containsExactly(
                "p-alpha disk_gb_hour 43520 0.0001 4.35" + version,
                "p-alpha ram_gb_hour 1344 0.002 2.69" + version,
                "p-alpha vcpu_hour 672 0.010 6.72" + version);
        List<String> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT concat_ws(' ', vm_state, recovered, hours, disk_gb_hours, billable_vcpu_hours, billable_disk_gb_hours)
                FROM report.project_billable_monthly WHERE month = '2026-10' AND project_id = 'p-alpha' AND recovered""")
                .mapTo(String.class).list());
        assertThat(rows).containsExactly("stopped t 10 800 0 800");
    }

    @Test
    void withoutAPolicyOrWithOneThatBillsEverythingTheInvoiceIsTodaysToTheLastDigit() throws IOException {
        // today's invoice: the lines of ReportViewsTest, computed from the facts alone
        db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.server_interval"));
        List<String> today = october();
        assertThat(today).contains("p-alpha vcpu_hour 1752 0.010 17.52", "p-alpha vcpu_hour 384 0.012 4.61");
        BigDecimal independent = IndependentInvoice.compute(db.jdbi(), "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");

        insertTimelines(db.jdbi());
        assertThat(october()).as("timelines without a policy change nothing").containsExactlyElementsOf(today);

        Path everything = file("everything.csv", "vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,flavor_hour,recovered,valid_from,valid_to",
                "stopped,yes,yes,yes,yes,no,2026-01-01,", "shelved_offloaded,yes,yes,yes,yes,no,2026-01-01,");
        assertThat(policy("import", everything.toString()).exitCode()).isZero();
        assertThat(october()).as("a policy billing everything bills what Nova counts")
                .containsExactlyElementsOf(today.stream().map(l -> l + " everything.csv [2026-01-01T00:00:00Z, open)").toList());
        BigDecimal total = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT sum(amount) FROM report.invoice_monthly WHERE month = '2026-10'").mapTo(BigDecimal.class).one());
        assertThat(total).isEqualByComparingTo(independent);
    }

    @Test
    void policyImportRefusesEachKindOfBadLineWithFileAndLineAndLeavesTheDatabaseUnchanged() throws IOException {
        String header = "vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,flavor_hour,recovered,valid_from,valid_to";
        assertThat(policy("import", "examples/billing-policy.csv").exitCode()).isZero();
        List<String> rows = policyRows();
        int audited = auditEvents();
        List<String> invoice = october();
        Map<String, List<String>> bad = Map.ofEntries(
                Map.entry("state.csv", List.of(header, "stopped,no,no,yes,no,no,2027-01-01,", "hibernated,no,no,yes,no,no,2027-01-01,")),
                Map.entry("resource.csv", List.of("vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,gpu_hour,recovered,valid_from,valid_to",
                        "stopped,no,no,yes,no,no,2027-01-01,")),
                Map.entry("missing.csv", List.of("vm_state,vcpu_hour,ram_gb_hour,disk_gb_hour,recovered,valid_from,valid_to",
                        "stopped,no,no,yes,no,2027-01-01,")),
                Map.entry("flag.csv", List.of(header, "stopped,no,no,true,no,no,2027-01-01,")),
                Map.entry("fields.csv", List.of(header, "stopped,no,no,yes,no,2027-01-01")),
                Map.entry("date.csv", List.of(header, "stopped,no,no,yes,no,no,2027-13-01,")),
                Map.entry("order.csv", List.of(header, "stopped,no,no,yes,no,no,2027-02-01,2027-01-01")),
                Map.entry("twice.csv", List.of(header, "stopped,no,no,yes,no,no,2027-01-01,", "paused,yes,yes,yes,yes,no,2027-01-01,",
                        "stopped,no,no,no,no,no,2027-01-01,")),
                Map.entry("versions.csv", List.of(header, "stopped,no,no,yes,no,no,2027-01-01,2028-01-01",
                        "paused,no,no,yes,no,no,2027-06-01,")),
                Map.entry("kept.csv", List.of(header, "# a version overlapping the example's, in force from 2020",
                        "stopped,no,no,yes,no,no,2019-01-01,2021-01-01")),
                Map.entry("billing-policy.csv", List.of(header, "stopped,no,no,yes,no,no,2020-01-01,")));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("state.csv", "state.csv line 3: unknown vm_state 'hibernated'"),
                Map.entry("resource.csv", "resource.csv line 1: unknown column 'gpu_hour'"),
                Map.entry("missing.csv", "missing.csv line 1: the header must be " + header),
                Map.entry("flag.csv", "flag.csv line 2: disk_gb_hour 'true' is neither yes nor no"),
                Map.entry("fields.csv", "fields.csv line 2: has 6 fields, expected 8"),
                Map.entry("date.csv", "date.csv line 2: valid_from '2027-13-01' is not a date"),
                Map.entry("order.csv", "order.csv line 2: valid_from 2027-02-01 is not before valid_to 2027-01-01"),
                Map.entry("twice.csv", "twice.csv line 4: vm_state stopped is listed twice in the version"
                        + " [2027-01-01T00:00:00Z, open) (also twice.csv line 2)"),
                Map.entry("versions.csv", "versions.csv line 3: the version [2027-06-01T00:00:00Z, open) overlaps the version"
                        + " [2027-01-01T00:00:00Z, 2028-01-01T00:00:00Z) of versions.csv line 2"),
                Map.entry("kept.csv", "kept.csv line 3: the version [2019-01-01T00:00:00Z, 2021-01-01T00:00:00Z) overlaps"
                        + " the cloud's policy [2020-01-01T00:00:00Z, open) (imported from billing-policy.csv line 9)"),
                Map.entry("billing-policy.csv", "billing-policy.csv line 2: the version [2020-01-01T00:00:00Z, open) overlaps the"
                        + " cloud's policy [2020-01-01T00:00:00Z, open) (imported from billing-policy.csv line 9): the file"
                        + " was probably imported already"));
        for (var entry : bad.entrySet()) {
            Path subdir = Files.createDirectories(dir.resolve(entry.getKey().replace(".csv", "")));
            Path file = subdir.resolve(entry.getKey());
            Files.writeString(file, String.join("\n", entry.getValue()) + "\n", StandardCharsets.UTF_8);
            for (String mode : List.of("--dry-run", "--restate")) {
                CommandRun run = policy("import", file.toString(), mode);
                assertThat(run.exitCode()).as(entry.getKey() + " " + mode + ": " + run.err()).isEqualTo(2);
                assertThat(run.err()).as(entry.getKey()).contains("billing policy refused: " + expected.get(entry.getKey()));
                assertThat(run.err()).as("one line, no stack trace").doesNotContain("\tat ", "Exception");
            }
        }
        assertThat(policyRows()).isEqualTo(rows);
        assertThat(auditEvents()).isEqualTo(audited);
        assertThat(october()).isEqualTo(invoice);
    }

    @Test
    void dryRunShowsWhatTheInvoicesWouldBillDifferentlyAndImportsNothing() {
        CommandRun dry = policy("import", "examples/billing-policy.csv", "--dry-run");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("nothing imported");
        // p-alpha's vCPU line before the 16th: 1752 -> 672 vCPU-h, 17.52 -> 6.72 EUR; from the 16th 384 -> 0
        assertThat(dry.out().lines().filter(l -> l.startsWith("2026-10 ") && l.contains("p-alpha")).map(l -> l.split("\\s+"))
                .map(f -> String.join(" ", f)).toList()).containsExactly(
                "2026-10 p-alpha ram_gb_hour 4272 1344 8.54 2.69 EUR",
                "2026-10 p-alpha vcpu_hour 2136 672 22.13 6.72 EUR");
        assertThat(policyRows()).isEmpty();
        assertThat(auditEvents()).isZero();
    }

    @Test
    void aChangeToAnInvoicedMonthIsARestatementAppliedOnlyWithRestate() throws IOException {
        assertThat(CommandRun.of(Map.of(), "customers", "import", "examples/customers.csv", "--db-url", db.jdbcUrl())
                .exitCode()).isZero();
        Path issuer = file("issuer.properties", "name=Test Issuer", "number_prefix=T-");
        List<String> invoiceArgs = List.of("invoice", "--month", "2026-10", "--out", dir.resolve("out").toString(),
                "--issuer", issuer.toString(), "--allow-incomplete", "--default-customer", "Beta Research",
                "--db-url", db.jdbcUrl());
        assertThat(CommandRun.of(Map.of(), invoiceArgs.toArray(String[]::new)).exitCode()).isZero();

        CommandRun refused = policy("import", "examples/billing-policy.csv");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("changes months already invoiced (2026-10)", "--restate");
        assertThat(policyRows()).isEmpty();

        CommandRun restated = policy("import", "examples/billing-policy.csv", "--restate");
        assertThat(restated.exitCode()).as(restated.err()).isZero();
        assertThat(restated.out()).contains("restated", "p-alpha");
        String audit = db.jdbi().withHandle(h -> h.createQuery("SELECT detail->>'restated_months' FROM metrics.audit_event"
                + " WHERE action = 'policy import'").mapTo(String.class).one());
        assertThat(audit).isEqualTo("[\"2026-10\"]");

        CommandRun reissued = CommandRun.of(Map.of(), invoiceArgs.toArray(String[]::new));
        assertThat(reissued.exitCode()).as(reissued.err()).isZero();
        List<String> documents = db.jdbi().withHandle(h -> h.createQuery("SELECT kind || ' ' || customer || ' ' || total"
                + " FROM metrics.invoice_document ORDER BY number").mapTo(String.class).list());
        // issued: alpha's and beta's (gamma on Beta Research); then alpha's cancelled by a credit note and reissued;
        // beta's stays (no timeline there: the same amounts, only billed under a named version)
        assertThat(documents).hasSize(4);
        assertThat(documents.get(2)).startsWith("credit_note " + "Zürich café – 日本 AG -");
        assertThat(documents.get(3)).isEqualTo("invoice Zürich café – 日本 AG 16.55");
    }

    @Test
    void withoutCloudThePolicyIsForTheOnlyRealCloudAndWithSeveralTheyAreListed() {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES"
                + " ('demo-sim/seed=1,projects=5,servers=200,from=2026-10-01', 3600)"));
        assertThat(policy("import", "examples/billing-policy.csv", "--dry-run").exitCode())
                .as("demo's simulated cloud is not a real cloud").isZero();

        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('other:5000/R2', 3600)"));
        CommandRun several = policy("import", "examples/billing-policy.csv");
        assertThat(several.exitCode()).isEqualTo(2);
        assertThat(several.err()).contains("2 clouds (" + CLOUD + ", other:5000/R2)", "--cloud KEY");

        CommandRun simulated = policy("import", "examples/billing-policy.csv", "--cloud",
                "demo-sim/seed=1,projects=5,servers=200,from=2026-10-01");
        assertThat(simulated.exitCode()).as(simulated.err()).isZero();
        CommandRun list = policy("list");
        assertThat(list.out()).contains("demo-sim/seed=1", "shelved_offloaded").doesNotContain(CLOUD);
        assertThat(october()).as("the real cloud's invoice is untouched").noneMatch(l -> l.contains("billing-policy.csv"));
    }

    @Test
    void underAPolicyATenantSeesItsOwnBilledLinesAndFinanceEveryLineAsTheOwnerDoes() throws Exception {
        try (TestDatabase owned = SmallCloudData.loadOwnedByOwner()) {
            insertTimelines(owned.jdbi());
            assertThat(policyOn(owned.jdbcUrl(), "import", "examples/billing-policy.csv").exitCode()).isZero();
            String lines = "SELECT concat_ws(' ', project_id, resource, flavor, quantity, unit_price, amount, billing_policy)"
                    + " FROM report.invoice_monthly WHERE month = '2026-10' ORDER BY 1";
            String billable = "SELECT concat_ws(' ', project_id, vm_state, hours, billable_vcpu_hours)"
                    + " FROM report.project_billable_monthly WHERE month = '2026-10' ORDER BY 1";
            List<String> all = owned.jdbi().withHandle(h -> h.createQuery(lines).mapTo(String.class).list());
            List<String> allBillable = owned.jdbi().withHandle(h -> h.createQuery(billable).mapTo(String.class).list());
            assertThat(all).contains("p-alpha vcpu_hour 672 0.010 6.72 " + EXAMPLE_VERSION);
            try (org.osmetrics.testing.Logins.Login alpha = org.osmetrics.testing.Logins.create(owned, "alpha");
                 org.osmetrics.testing.Logins.Login finance = org.osmetrics.testing.Logins.create(owned, "finance")) {
                ProjectAccess access = new ProjectAccess(owned.jdbi());
                access.grant(alpha.name(), List.of("p-alpha"), CLOUD, false, ProjectAccess.LoginSettings.DEFAULT, "access grant (test)");
                access.grant(finance.name(), List.of(), null, true, ProjectAccess.LoginSettings.DEFAULT, "access grant (test)");
                try (java.sql.Connection tenant = alpha.connect(); java.sql.Connection reader = finance.connect()) {
                    assertThat(query(tenant, lines)).isEqualTo(all.stream().filter(l -> l.startsWith("p-alpha ")).toList());
                    assertThat(query(tenant, billable)).isEqualTo(allBillable.stream().filter(l -> l.startsWith("p-alpha ")).toList());
                    assertThat(query(reader, lines)).isEqualTo(all);
                    assertThat(query(reader, billable)).isEqualTo(allBillable);
                }
            }
        }
    }

    private static List<String> query(java.sql.Connection connection, String sql) throws java.sql.SQLException {
        List<String> rows = new ArrayList<>();
        try (var statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.extract.RawPage;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.load.NovaModel.Instance;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.transform.UsageTransform;

/** The load stage against a real PostgreSQL; each test works on a cloud of its own. */
class UsageLoaderTest {
    private static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1));
    private static final Instant LATER = Instant.parse("2026-12-05T00:00:00Z");
    private static final WindowGrid HOURLY = WindowGrid.ofSeconds(3600);

    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private static Jdbi jdbi;
    private static UsageLoader loader;
    private static RunLedger ledger;

    @BeforeAll
    static void database() {
        jdbi = test.jdbi();
        loader = new UsageLoader(jdbi);
        ledger = new RunLedger(jdbi, Clock.fixed(LATER, ZoneOffset.UTC));
    }

    private static Cloud cloud(String key) {
        return new CloudRepository(jdbi).resolve(key, HOURLY);
    }

    private static LoadResult load(Cloud cloud, UsageExtraction extraction, boolean restate) {
        long run = ledger.start("test", "", cloud.cloudId(), extraction.scope().key());
        return loader.load(cloud, UsageTransform.transform(extraction, cloud.grid()), new LoadOptions(restate), run);
    }

    private static List<Map<String, Object>> facts(Cloud cloud) {
        return jdbi.withHandle(h -> h.createQuery("SELECT xmin::text AS tuple, f.* FROM metrics.usage_fact f"
                        + " WHERE cloud_id = :cloud ORDER BY instance_id, window_start")
                .bind("cloud", cloud.cloudId()).mapToMap().list());
    }

    private static long count(String sql, Cloud cloud) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("cloud", cloud.cloudId()).mapTo(Long.class).one());
    }

    private static List<Instance> fleet() {
        return List.of(
                NovaModel.instance(1, "p-a", "2026-11-20T08:00:00Z"),
                NovaModel.instance(2, "p-a", "2026-11-24T10:30:00.250000Z"),
                NovaModel.instance(3, "p-b", "2026-11-23T22:15:00Z").deleted(Instant.parse("2026-11-24T05:45:30Z")),
                NovaModel.instance(4, "p-b", "2026-11-24T23:59:59Z"));
    }

    @Test
    void rerunOfSameClosedRangeLeavesEveryRowUntouched() {
        Cloud cloud = cloud("rerun");
        UsageExtraction day = NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet());

        LoadResult first = load(cloud, day, false);
        List<Map<String, Object>> before = facts(cloud);
        LoadResult second = load(cloud, day, false);

        assertThat(first.rows()).isEqualTo(24 + 14 + 6 + 1).isEqualTo(before.size());
        assertThat(first.reconciled()).isTrue();
        assertThat(second.rows()).isZero();
        assertThat(second.restatements()).isZero();
        assertThat(facts(cloud)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM metrics.server WHERE cloud_id = :cloud", cloud)).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE cloud_id = :cloud", cloud)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM metrics.nova_totals WHERE cloud_id = :cloud AND matches", cloud)).isEqualTo(2);
    }

    @Test
    void overlappingRangesGiveTheSameRowsAsOneRange() {
        Cloud whole = cloud("overlap-whole");
        Cloud pieces = cloud("overlap-pieces");
        Instant noon = DAY.plus(Duration.ofHours(12));
        load(whole, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY.plus(Duration.ofHours(12)), LATER, fleet()), false);

        load(pieces, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet()), false);
        load(pieces, NovaModel.extract(Scope.allProjects(), noon, NEXT_DAY.plus(Duration.ofHours(12)), LATER, fleet()), false);

        // exact sums (numeric), so the order PostgreSQL reads the rows in does not matter
        String sums = "SELECT count(*) || ' ' || sum(hours::numeric) || ' ' || sum(vcpu_hours::numeric) || ' '"
                + " || sum(memory_mb_hours::numeric)"
                + " FROM metrics.usage_fact WHERE cloud_id = :cloud";
        String piecesSums = jdbi.withHandle(h -> h.createQuery(sums).bind("cloud", pieces.cloudId()).mapTo(String.class).one());
        String wholeSums = jdbi.withHandle(h -> h.createQuery(sums).bind("cloud", whole.cloudId()).mapTo(String.class).one());
        assertThat(piecesSums).isEqualTo(wholeSums);
        assertThat(facts(pieces)).extracting(r -> r.get("window_start") + " " + r.get("instance_id") + " " + r.get("hours"))
                .isEqualTo(facts(whole).stream().map(r -> r.get("window_start") + " " + r.get("instance_id") + " " + r.get("hours")).toList());
        assertThat(count("SELECT count(*) FROM metrics.restatement WHERE cloud_id = :cloud", pieces)).isZero();
    }

    @Test
    void perProjectReportsFindEveryFactOfTheProjectEvenOfAServerListedLaterUnderAnotherProject() {
        Cloud cloud = cloud("project-server");
        Instance moved = NovaModel.instance(9, "p-old", "2026-11-20T00:00:00Z");
        Instance movedLater = new Instance(moved.id(), "p-new", moved.launchedAt(), null, moved.flavor(), moved.vcpus(),
                moved.memoryMb(), moved.localGb(), moved.vmState());
        Instant dayAfter = NEXT_DAY.plus(Duration.ofDays(1));
        List<Instance> first = new java.util.ArrayList<>(fleet());
        first.add(moved);
        List<Instance> second = new java.util.ArrayList<>(fleet());
        second.add(movedLater);

        load(cloud, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, first), false);
        load(cloud, NovaModel.extract(Scope.allProjects(), NEXT_DAY, dayAfter, LATER, second), false);

        // the server's latest project is p-new; its first day's facts stay p-old's, and p-old's reports find them
        assertThat(count("SELECT count(*) FROM metrics.server WHERE cloud_id = :cloud AND project_id = 'p-new'", cloud))
                .isOne();
        List<Map<String, Object>> reconciliation = jdbi.withHandle(h -> h.createQuery(
                        "SELECT r.project_id, r.range_start, r.our_server_count, r.nova_server_count, r.matches"
                                + " FROM report.reconciliation r JOIN metrics.cloud c ON c.cloud_key = r.cloud"
                                + " WHERE c.cloud_id = :cloud ORDER BY r.range_start, r.project_id")
                .bind("cloud", cloud.cloudId()).mapToMap().list());
        assertThat(reconciliation).extracting(r -> r.get("project_id") + " " + r.get("our_server_count") + "/"
                        + r.get("nova_server_count") + " " + r.get("matches"))
                .containsExactly("p-a 2/2 true", "p-b 2/2 true", "p-old 1/1 true",
                        "p-a 2/2 true", "p-b 1/1 true", "p-new 1/1 true");
        String oldDocument = jdbi.withHandle(h -> h.createQuery("SELECT d.document::text FROM report.tenant_usage_document d"
                        + " JOIN metrics.cloud c ON c.cloud_key = d.cloud"
                        + " WHERE c.cloud_id = :cloud AND d.project_id = 'p-old'")
                .bind("cloud", cloud.cloudId()).mapTo(String.class).one());
        assertThat(oldDocument).contains(moved.id());
        assertThat(count("SELECT count(*) FROM (SELECT DISTINCT project_id, instance_id FROM metrics.usage_fact"
                + " WHERE cloud_id = :cloud EXCEPT SELECT project_id, instance_id FROM metrics.project_server"
                + " WHERE cloud_id = :cloud) missing", cloud)).isZero();
    }

    @Test
    void rawPagesKeepTheBodyNovaSentByteForByte() {
        Cloud cloud = cloud("raw-page");
        // keys out of order, a repeated key, spacing and number spellings as a server might send them
        String body = "{\"tenant_usages\": [], \"tenant_usages\": [ ],\n  \"z\": 1.50, \"a\": 2E3, \"n\": \"\\u00e9\"}";
        UsageExtraction day = NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet());
        UsageExtraction withPage = new UsageExtraction(day.scope(), day.start(), day.requestedEnd(), day.stop(),
                day.extractedAt(), day.provisional(), day.microversion(), day.truncationSuspected(), day.tenants(),
                List.of(new RawPage(0, "https://nova.example/v2.1/os-simple-tenant-usage?detailed=1", 200, "2.40", body)));

        load(cloud, withPage, false);

        String kept = jdbi.withHandle(h -> h.createQuery("SELECT body::text FROM metrics.raw_page WHERE cloud_id = :cloud")
                .bind("cloud", cloud.cloudId()).mapTo(String.class).one());
        assertThat(kept).isEqualTo(body);
    }

    @Test
    void provisionalWindowsAreReplacedWhenTheRangeCloses() {
        Cloud cloud = cloud("provisional");
        Instant midday = Instant.parse("2026-11-24T12:20:00Z");

        LoadResult open = load(cloud, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, midday, fleet()), false);
        long provisionalRows = count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud AND provisional", cloud);
        LoadResult closed = load(cloud, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet()), false);

        assertThat(open.provisional()).isTrue();
        assertThat(provisionalRows).isEqualTo(2);  // the 12:00 window of servers 1 and 2
        assertThat(closed.provisional()).isFalse();
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud AND provisional", cloud)).isZero();
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud", cloud)).isEqualTo(45);
        assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE cloud_id = :cloud AND NOT provisional", cloud))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM metrics.restatement WHERE cloud_id = :cloud", cloud)).isZero();
    }

    @Test
    void resizeOfARecordedDayIsARestatementAppliedOnlyWithRestate() {
        Cloud cloud = cloud("resize");
        Instance server = NovaModel.instance(7, "p-r", "2026-11-20T00:00:00Z");
        load(cloud, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, List.of(server)), false);
        // Nova after a resize at noon: launched_at reset, the new flavor for the whole range
        Instance resized = server.resized(DAY.plus(Duration.ofHours(12)), "m1.large", 4, 8192, 80);
        UsageExtraction after = NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, List.of(resized));

        LoadResult logged = load(cloud, after, false);
        LoadResult again = load(cloud, after, false);

        assertThat(logged.restatements()).isEqualTo(24);
        assertThat(again.restatements()).isZero();
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud AND vcpus = 1", cloud)).isEqualTo(24);
        assertThat(count("SELECT count(*) FROM metrics.restatement WHERE cloud_id = :cloud AND new_hours IS NULL", cloud))
                .isEqualTo(12);
        assertThat(count("SELECT count(*) FROM metrics.server_flavor_history WHERE cloud_id = :cloud", cloud)).isEqualTo(2);
        assertThat(count("SELECT vcpus FROM metrics.server s JOIN metrics.flavor f USING (flavor_id) WHERE s.cloud_id = :cloud", cloud))
                .isEqualTo(4);

        LoadResult applied = load(cloud, after, true);

        assertThat(applied.restatements()).isEqualTo(24);
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud", cloud)).isEqualTo(12);
        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud AND vcpus = 4", cloud)).isEqualTo(12);
        assertThat(count("SELECT count(*) FROM metrics.restatement WHERE cloud_id = :cloud AND applied", cloud)).isEqualTo(24);
    }

    @Test
    void deletionEndsTheServerAndArchivingIsOnlyLogged() {
        Cloud cloud = cloud("delete");
        Instance server = NovaModel.instance(8, "p-d", "2026-11-20T00:00:00Z").deleted(Instant.parse("2026-11-24T10:00:00Z"));
        load(cloud, NovaModel.extract(Scope.project("p-d"), DAY, NEXT_DAY, LATER, List.of(server)), false);

        LoadResult archived = load(cloud, NovaModel.extract(Scope.project("p-d"), DAY, NEXT_DAY, LATER, List.of()), false);

        assertThat(count("SELECT count(*) FROM metrics.usage_fact WHERE cloud_id = :cloud AND state = 'terminated'", cloud))
                .isEqualTo(10);
        Instant endedAt = jdbi.withHandle(h -> h.createQuery("SELECT ended_at FROM metrics.server WHERE cloud_id = :cloud")
                .bind("cloud", cloud.cloudId()).mapTo(Instant.class).one());
        assertThat(endedAt).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(archived.restatements()).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM metrics.restatement WHERE cloud_id = :cloud AND new_hours IS NULL"
                + " AND NOT applied", cloud)).isEqualTo(10);
    }

    @Test
    void aFailureBeforeCommitLeavesNothingOfTheRange() {
        Cloud cloud = cloud("failure");
        UsageExtraction day = NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet());
        jdbi.useHandle(h -> h.execute("CREATE FUNCTION metrics.fail_test() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;"
                + " CREATE TRIGGER fail_test BEFORE INSERT ON metrics.nova_totals FOR EACH ROW EXECUTE FUNCTION metrics.fail_test()"));
        try {
            assertThatThrownBy(() -> load(cloud, day, false))
                    .isInstanceOf(OsMetricsException.class)
                    .hasMessageContaining("rolled back")
                    .hasMessageContaining("injected failure")
                    .satisfies(e -> assertThat(((OsMetricsException) e).exitCode()).isEqualTo(ExitCode.DATABASE));
        } finally {
            jdbi.useHandle(h -> h.execute("DROP TRIGGER fail_test ON metrics.nova_totals; DROP FUNCTION metrics.fail_test()"));
        }

        for (String table : List.of("usage_fact", "server", "extracted_range", "nova_totals", "anomaly")) {
            assertThat(count("SELECT count(*) FROM metrics." + table + " WHERE cloud_id = :cloud", cloud)).as(table).isZero();
        }
        assertThat(load(cloud, day, false).rows()).isEqualTo(45);
    }

    @Test
    void totalsThatDoNotReconcileAreLoadedAndFlagged() {
        Cloud cloud = cloud("mismatch");
        UsageExtraction honest = NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet());
        var tenant = honest.tenants().get(0);
        var bent = new org.osmetrics.extract.TenantUsage(tenant.tenantId(), tenant.servers(),
                List.of(new org.osmetrics.extract.PageTotals(tenant.servers().size(), 1.0, 1.0, 1.0, 1.0)),
                tenant.start(), tenant.stop());
        UsageExtraction extraction = new UsageExtraction(honest.scope(), DAY, NEXT_DAY, NEXT_DAY, LATER, false, "2.40",
                false, List.of(bent, honest.tenants().get(1)), List.of());

        LoadResult result = load(cloud, extraction, false);

        assertThat(result.reconciled()).isFalse();
        assertThat(result.rows()).isEqualTo(45);
        assertThat(count("SELECT count(*) FROM metrics.nova_totals WHERE cloud_id = :cloud AND NOT matches", cloud)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM metrics.anomaly WHERE cloud_id = :cloud AND kind = 'totals_mismatch'", cloud))
                .isEqualTo(1);
    }

    @Test
    void theGridOfACloudWithDataCannotChange() {
        Cloud cloud = cloud("grid");
        load(cloud, NovaModel.extract(Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet()), false);

        assertThatThrownBy(() -> new CloudRepository(jdbi).resolve("grid", WindowGrid.ofSeconds(86_400)))
                .isInstanceOf(OsMetricsException.class)
                .hasMessageContaining("1h window grid, not 1d")
                .hasMessageContaining("--window 1h");
        assertThat(new CloudRepository(jdbi).resolve("grid", null).grid()).isEqualTo(HOURLY);
    }
}

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.extract.Scope;
import org.osmetrics.load.NovaModel.Instance;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.osmetrics.transform.WindowGrid;
import org.osmetrics.transform.UsageTransform;

/**
 * metrics.usage_rollup (what report.invoice_monthly reads) always holds the facts counted per window, project,
 * flavor, sizes, hours and provisional flag, whatever writes the facts: every check compares it with a GROUP BY
 * of metrics.usage_fact.
 */
class UsageRollupTest {
    private static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1));
    private static final Instant LATER = Instant.parse("2026-12-05T00:00:00Z");
    private static final String GROUPED_FACTS = "SELECT window_start, project_id, flavor_id, vcpus, memory_mb, local_gb,"
            + " hours, provisional, count(*) AS facts FROM metrics.usage_fact WHERE cloud_id = :cloud"
            + " GROUP BY window_start, project_id, flavor_id, vcpus, memory_mb, local_gb, hours, provisional"
            + " ORDER BY window_start, project_id, flavor_id, hours, provisional";
    private static final String ROLLUP = "SELECT window_start, project_id, flavor_id, vcpus, memory_mb, local_gb,"
            + " hours, provisional, facts FROM metrics.usage_rollup WHERE cloud_id = :cloud"
            + " ORDER BY window_start, project_id, flavor_id, hours, provisional";

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
        return new CloudRepository(jdbi).resolve(key, WindowGrid.ofSeconds(3600));
    }

    private static void load(Cloud cloud, Scope scope, Instant start, Instant end, Instant stop, List<Instance> fleet,
            boolean restate) {
        long run = ledger.start("test", "", cloud.cloudId(), scope.key());
        loader.load(cloud, UsageTransform.transform(NovaModel.extract(scope, start, end, stop, fleet), cloud.grid()), new LoadOptions(restate), run);
    }

    private static List<Map<String, Object>> rows(Jdbi on, String sql, int cloudId) {
        return on.withHandle(h -> h.createQuery(sql).bind("cloud", cloudId).mapToMap().list());
    }

    private static void assertRollupCountsTheFacts(Cloud cloud) {
        List<Map<String, Object>> facts = rows(jdbi, GROUPED_FACTS, cloud.cloudId());
        assertThat(facts).isNotEmpty();
        assertThat(rows(jdbi, ROLLUP, cloud.cloudId())).isEqualTo(facts);
    }

    /** Two projects' servers: always on, launched and deleted within the day, launched at its last second. */
    private static List<Instance> fleet() {
        return List.of(
                NovaModel.instance(11, "p-a", "2026-11-01T00:00:00Z"),
                NovaModel.instance(12, "p-a", "2026-11-24T07:12:00.500000Z"),
                NovaModel.instance(13, "p-b", "2026-11-24T01:00:00Z").deleted(Instant.parse("2026-11-24T16:30:00Z")),
                NovaModel.instance(14, "p-b", "2026-11-24T23:59:59Z"));
    }

    @Test
    void loadsOfOpenAndClosedWindowsRerunsRestatementsAndMovedServersKeepTheRollupEqualToTheFacts() {
        Cloud cloud = cloud("loads");
        Instance resizable = NovaModel.instance(7, "p-r", "2026-11-20T00:00:00Z");
        List<Instance> fleet = new ArrayList<>(fleet());
        fleet.add(resizable);

        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, Instant.parse("2026-11-24T12:20:00Z"), fleet, false);
        assertThat(rows(jdbi, ROLLUP, cloud.cloudId())).anyMatch(row -> Boolean.TRUE.equals(row.get("provisional")));
        assertRollupCountsTheFacts(cloud);

        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet, false);  // the open window closes
        assertThat(rows(jdbi, ROLLUP, cloud.cloudId())).noneMatch(row -> Boolean.TRUE.equals(row.get("provisional")));
        assertRollupCountsTheFacts(cloud);
        List<Map<String, Object>> tuples = rows(jdbi, "SELECT xmin::text AS tuple, r.* FROM metrics.usage_rollup r"
                + " WHERE cloud_id = :cloud ORDER BY window_start, project_id, flavor_id, hours", cloud.cloudId());

        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet, false);  // a re-run writes nothing
        assertThat(rows(jdbi, "SELECT xmin::text AS tuple, r.* FROM metrics.usage_rollup r WHERE cloud_id = :cloud"
                + " ORDER BY window_start, project_id, flavor_id, hours", cloud.cloudId())).isEqualTo(tuples);

        // a resize at noon, applied: the server's facts change flavor and its morning windows are deleted
        fleet.set(fleet.size() - 1, resizable.resized(DAY.plus(Duration.ofHours(12)), "m1.large", 4, 8192, 80));
        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet, true);
        assertThat(rows(jdbi, ROLLUP, cloud.cloudId())).anyMatch(row -> Integer.valueOf(4).equals(row.get("vcpus")));
        assertRollupCountsTheFacts(cloud);

        // the server now listed under another project, applied: its facts change project
        Instance first = fleet.get(0);
        fleet.set(0, new Instance(first.id(), "p-moved", first.launchedAt(), first.terminatedAt(), first.flavor(), first.vcpus(),
                first.memoryMb(), first.localGb(), first.vmState()));
        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet, true);
        assertThat(rows(jdbi, ROLLUP, cloud.cloudId())).anyMatch(row -> "p-moved".equals(row.get("project_id")));
        assertRollupCountsTheFacts(cloud);

        // one project's range of the next day, then all projects over it
        load(cloud, Scope.project("p-a"), NEXT_DAY, NEXT_DAY.plus(Duration.ofDays(1)), LATER,
                fleet.stream().filter(server -> server.project().equals("p-a")).toList(), false);
        assertRollupCountsTheFacts(cloud);
        load(cloud, Scope.allProjects(), NEXT_DAY, NEXT_DAY.plus(Duration.ofDays(1)), LATER, fleet, false);
        assertRollupCountsTheFacts(cloud);
    }

    @Test
    void everyKindOfStatementOnTheFactsKeepsTheRollupEqualToTheFacts() {
        Cloud cloud = cloud("statements");
        Partitions.ensureMonths(jdbi, DAY, NEXT_DAY);
        String insert = "INSERT INTO metrics.usage_fact SELECT :cloud, w, w + interval '1 hour', s.id::uuid, s.project,"
                + " 1, 1, 512, 1, 1, 1, 512, 1, 'active', w >= timestamptz '2026-11-24T20:00:00Z', 1"
                + " FROM (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),"
                + " ('00000000-0000-0000-0000-000000000002', 'p-a'), ('00000000-0000-0000-0000-000000000003', 'p-b')) s(id, project),"
                + " generate_series(timestamptz '2026-11-24T00:00:00Z', '2026-11-24T23:00:00Z', interval '1 hour') w";
        List<String> statements = List.of(
                insert,
                "UPDATE metrics.usage_fact SET hours = 0.5 WHERE cloud_id = :cloud AND instance_id = '00000000-0000-0000-0000-000000000001'"
                        + " AND window_start < '2026-11-24T06:00:00Z'",
                "UPDATE metrics.usage_fact SET project_id = 'p-c', provisional = NOT provisional WHERE cloud_id = :cloud"
                        + " AND instance_id = '00000000-0000-0000-0000-000000000003' AND window_start >= '2026-11-24T12:00:00Z'",
                "UPDATE metrics.usage_fact SET state = 'stopped' WHERE cloud_id = :cloud",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND provisional",
                insert + " ON CONFLICT (cloud_id, window_start, instance_id) DO UPDATE SET project_id = excluded.project_id,"
                        + " hours = excluded.hours, provisional = excluded.provisional",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND window_start < '2026-11-24T03:00:00Z'");

        for (String statement : statements) {
            jdbi.useHandle(h -> h.createUpdate(statement).bind("cloud", cloud.cloudId()).execute());
            assertRollupCountsTheFacts(cloud);
        }
        assertThat(rows(jdbi, "SELECT * FROM metrics.usage_rollup WHERE cloud_id = :cloud AND facts <= 0", cloud.cloudId()))
                .isEmpty();
    }

    @Test
    void aRollupOutOfStepWithTheFactsFailsTheWriteInsteadOfCountingBelowZero() {
        Cloud cloud = cloud("out-of-step");
        load(cloud, Scope.allProjects(), DAY, NEXT_DAY, LATER, fleet(), false);
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM metrics.usage_rollup WHERE cloud_id = :cloud AND project_id = 'p-b'")
                .bind("cloud", cloud.cloudId()).execute());

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.createUpdate(
                        "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND project_id = 'p-b'")
                .bind("cloud", cloud.cloudId()).execute()))
                .hasMessageContaining("metrics.usage_rollup is out of step with metrics.usage_fact");
        assertThat(rows(jdbi, "SELECT * FROM metrics.usage_fact WHERE cloud_id = :cloud AND project_id = 'p-b'",
                cloud.cloudId())).isNotEmpty();
    }

    @Test
    void upgradeCountsTheFactsLoadedBefore() {
        try (TestDatabase old = TestDatabases.freshAtVersion("82")) {
            old.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('old', 86400);
                    CREATE TABLE metrics.usage_fact_old PARTITION OF metrics.usage_fact
                        FOR VALUES FROM ('2026-10-01Z') TO ('2026-11-01Z');
                    INSERT INTO metrics.usage_fact
                    SELECT 1, d, d + interval '1 day', s.id::uuid, s.project, 1, 1, 512, 1, s.hours, s.hours,
                           512 * s.hours, s.hours, 'active', false, 1
                    FROM (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a', 24.0),
                                 ('00000000-0000-0000-0000-000000000002', 'p-a', 24.0),
                                 ('00000000-0000-0000-0000-000000000003', 'p-a', 7.5)) s(id, project, hours),
                         generate_series(timestamptz '2026-10-01Z', '2026-10-03Z', interval '1 day') d;
                    """));

            old.database().migrate();

            assertThat(rows(old.jdbi(), ROLLUP, 1)).extracting(row -> row.get("hours") + " x " + row.get("facts"))
                    .containsExactly("7.5 x 1", "24.0 x 2", "7.5 x 1", "24.0 x 2", "7.5 x 1", "24.0 x 2");
            assertThat(rows(old.jdbi(), ROLLUP, 1)).isEqualTo(rows(old.jdbi(), GROUPED_FACTS, 1));
        }
    }
}

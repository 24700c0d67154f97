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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.extract.Scope;
import org.osmetrics.load.NovaModel.Instance;
import org.osmetrics.testing.TestDatabaseExtension;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;
import org.osmetrics.transform.WindowGrid;

/**
 * metrics.usage_server_day (where report.project_usage_monthly and _daily count their servers) always holds, per UTC
 * day, project and server, the first and last window and the number of the facts, whatever writes them: the loader's
 * fresh COPY (in one or several parts, one or several ranges of a day), its staged upserts, re-runs, restatements and
 * moved servers, and any statement on the fact table. Every check compares it with a GROUP BY of metrics.usage_fact;
 * the report views' server counts are compared with the facts' distinct servers in three billing time zones. A cloud
 * on a one-day grid keeps no server days there (its facts are them, V111), and the views count its facts' servers.
 */
class UsageServerDayTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static final Instant DAY = Instant.parse("2026-10-24T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-12-05T00:00:00Z");
    private static final String SERVER_DAYS_OF_THE_FACTS = "SELECT (window_start AT TIME ZONE 'UTC')::date AS day,"
            + " project_id, instance_id, min(window_start) AS first_window, max(window_start) AS last_window,"
            + " count(*)::integer AS facts FROM metrics.usage_fact WHERE cloud_id = :cloud"
            + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
    private static final String SERVER_DAYS = "SELECT day, project_id, instance_id, first_window, last_window, facts"
            + " FROM metrics.usage_server_day WHERE cloud_id = :cloud ORDER BY 1, 2, 3";
    private static final String MONTHLY_SERVERS_OF_THE_FACTS = "SELECT f.project_id,"
            + " to_char(f.window_start AT TIME ZONE c.time_zone, 'YYYY-MM') AS month,"
            + " count(DISTINCT f.instance_id) AS server_count"
            + " FROM metrics.usage_fact f JOIN metrics.cloud c ON c.cloud_id = f.cloud_id WHERE f.cloud_id = :cloud"
            + " GROUP BY 1, 2 ORDER BY 1, 2";
    private static final String MONTHLY_SERVERS = "SELECT u.project_id, u.month, u.server_count"
            + " FROM report.project_usage_monthly u JOIN metrics.cloud c ON c.cloud_key = u.cloud"
            + " WHERE c.cloud_id = :cloud AND u.month_start >= '2026-01-01' ORDER BY 1, 2";
    private static final String DAILY_SERVERS_OF_THE_FACTS = "SELECT f.project_id,"
            + " (f.window_start AT TIME ZONE c.time_zone)::date AS day, count(DISTINCT f.instance_id) AS server_count"
            + " FROM metrics.usage_fact f JOIN metrics.cloud c ON c.cloud_id = f.cloud_id WHERE f.cloud_id = :cloud"
            + " GROUP BY 1, 2 ORDER BY 1, 2";
    private static final String DAILY_SERVERS = "SELECT u.project_id, u.day, u.server_count"
            + " FROM report.project_usage_daily u JOIN metrics.cloud c ON c.cloud_key = u.cloud"
            + " WHERE c.cloud_id = :cloud AND u.month_start >= '2026-01-01' ORDER BY 1, 2";

    private static Jdbi jdbi() {
        return DB.jdbi();
    }

    private static Cloud cloud(String key, String timeZone) {
        return cloud(key, timeZone, 3600);
    }

    private static Cloud cloud(String key, String timeZone, int windowSeconds) {
        Cloud cloud = new CloudRepository(jdbi()).resolve(key, WindowGrid.ofSeconds(windowSeconds));
        jdbi().useHandle(h -> h.createUpdate("UPDATE metrics.cloud SET time_zone = :zone WHERE cloud_id = :cloud")
                .bind("zone", timeZone).bind("cloud", cloud.cloudId()).execute());
        return cloud;
    }

    private static TransformedRange range(Cloud cloud, Scope scope, Instant start, Instant end, Instant stop,
            List<Instance> fleet) {
        return UsageTransform.transform(NovaModel.extract(scope, start, end, stop, fleet), cloud.grid());
    }

    /** Loads with a loader that sends the fresh server days once a single one is counted (many parts). */
    private static void load(Cloud cloud, Scope scope, Instant start, Instant end, Instant stop, List<Instance> fleet,
            boolean restate) {
        long run = new RunLedger(jdbi(), Clock.fixed(LATER, ZoneOffset.UTC)).start("test", "", cloud.cloudId(), scope.key());
        new UsageLoader(jdbi(), 1).load(cloud, range(cloud, scope, start, end, stop, fleet), new LoadOptions(restate), run);
    }

    private static List<Map<String, Object>> rows(Jdbi on, String sql, int cloudId) {
        return on.withHandle(h -> h.createQuery(sql).bind("cloud", cloudId).mapToMap().list());
    }

    private static void assertServerDaysAreTheFacts(Jdbi on, int cloudId) {
        List<Map<String, Object>> facts = rows(on, SERVER_DAYS_OF_THE_FACTS, cloudId);
        assertThat(facts).isNotEmpty();
        assertThat(rows(on, SERVER_DAYS, cloudId)).isEqualTo(facts);
    }

    private static void assertKeepsNoServerDays(Jdbi on, int cloudId) {
        assertThat(rows(on, SERVER_DAYS_OF_THE_FACTS, cloudId)).isNotEmpty();
        assertThat(rows(on, SERVER_DAYS, cloudId)).isEmpty();
    }

    private static void assertReportsCountTheFactsServers(Cloud cloud) {
        assertThat(rows(jdbi(), MONTHLY_SERVERS, cloud.cloudId()))
                .isEqualTo(rows(jdbi(), MONTHLY_SERVERS_OF_THE_FACTS, cloud.cloudId())).isNotEmpty();
        assertThat(rows(jdbi(), DAILY_SERVERS, cloud.cloudId()))
                .isEqualTo(rows(jdbi(), DAILY_SERVERS_OF_THE_FACTS, cloud.cloudId())).isNotEmpty();
    }

    /** Two projects' servers: always on, launched and deleted within a day, launched at a day's last second. */
    private static List<Instance> fleet() {
        return new ArrayList<>(List.of(
                NovaModel.instance(11, "p-a", "2026-10-01T00:00:00Z"),
                NovaModel.instance(12, "p-a", "2026-10-24T07:12:00.500000Z"),
                NovaModel.instance(13, "p-b", "2026-10-25T01:00:00Z").deleted(Instant.parse("2026-10-25T16:30:00Z")),
                NovaModel.instance(14, "p-b", "2026-10-25T23:59:59Z"),
                NovaModel.instance(15, "p-b", "2026-10-31T22:30:00Z").deleted(Instant.parse("2026-11-01T00:30:00Z"))));
    }

    /**
     * What a cloud lives through: fresh loads of several days and of two halves of a day (one batch), an open window,
     * its close, a re-run, a resize and a moved server applied with --restate, a project's range then all projects
     * over it; after each, the server days are the facts' (none on a one-day grid) and the reports count the facts'
     * servers.
     */
    private static void liveThrough(Cloud cloud) {
        boolean daily = cloud.grid().seconds() == 86_400;
        List<Instance> fleet = fleet();
        Instance resizable = NovaModel.instance(7, "p-r", "2026-10-20T00:00:00Z");
        fleet.add(resizable);
        Runnable check = () -> {
            if (daily) {
                assertKeepsNoServerDays(jdbi(), cloud.cloudId());
            } else {
                assertServerDaysAreTheFacts(jdbi(), cloud.cloudId());
            }
            assertReportsCountTheFactsServers(cloud);
        };

        // fresh: the month's end across three UTC days, then two halves of a day in one batch
        load(cloud, Scope.allProjects(), DAY.plus(Duration.ofDays(7)), DAY.plus(Duration.ofDays(10)), LATER, fleet, false);
        check.run();
        long run = new RunLedger(jdbi(), Clock.fixed(LATER, ZoneOffset.UTC)).start("test", "", cloud.cloudId(), "*");
        // (on a one-day grid the day is one window: one range)
        Instant noon = DAY.plus(Duration.ofDays(1)).plus(Duration.ofHours(daily ? 24 : 12));
        List<TransformedRange> halves = new ArrayList<>(List.of(
                range(cloud, Scope.allProjects(), DAY.plus(Duration.ofDays(1)), noon, LATER, fleet)));
        if (!daily) {
            halves.add(range(cloud, Scope.allProjects(), noon, DAY.plus(Duration.ofDays(2)), LATER, fleet));
        }
        new UsageLoader(jdbi(), 1).loadBatch(cloud, halves, new LoadOptions(false), run);
        check.run();

        // the day before: an open window, then closed, then a re-run that writes nothing
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(1)), Instant.parse("2026-10-24T12:20:00Z"), fleet, false);
        assertThat(rows(jdbi(), "SELECT * FROM metrics.usage_fact WHERE cloud_id = :cloud AND provisional",
                cloud.cloudId())).isNotEmpty();
        check.run();
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(1)), LATER, fleet, false);
        check.run();
        String tuples = "SELECT xmin::text AS tuple, s.* FROM metrics.usage_server_day s WHERE cloud_id = :cloud"
                + " ORDER BY day, project_id, instance_id";
        List<Map<String, Object>> before = rows(jdbi(), tuples, cloud.cloudId());
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(1)), LATER, fleet, false);
        assertThat(rows(jdbi(), tuples, cloud.cloudId())).isEqualTo(before);

        // a resize at noon, applied: the morning's windows of the server are deleted
        fleet.set(fleet.size() - 1, resizable.resized(DAY.plus(Duration.ofHours(12)), "m1.large", 4, 8192, 80));
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(1)), LATER, fleet, true);
        check.run();

        // a server now listed under another project, applied: its facts change project
        Instance first = fleet.get(0);
        fleet.set(0, new Instance(first.id(), "p-moved", first.launchedAt(), first.terminatedAt(), first.flavor(),
                first.vcpus(), first.memoryMb(), first.localGb(), first.vmState()));
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(2)), LATER, fleet, true);
        check.run();

        // one project's range of the next days, then all projects over it
        load(cloud, Scope.project("p-a"), DAY.plus(Duration.ofDays(2)), DAY.plus(Duration.ofDays(4)), LATER,
                fleet.stream().filter(server -> server.project().equals("p-a")).toList(), false);
        check.run();
        load(cloud, Scope.allProjects(), DAY.plus(Duration.ofDays(2)), DAY.plus(Duration.ofDays(4)), LATER, fleet, false);
        check.run();
    }

    @Test
    void loadsRerunsRestatementsAndMovedServersKeepTheServerDaysEqualToTheFactsInUtc() {
        liveThrough(cloud("utc", "UTC"));
    }

    @Test
    void theReportsCountTheFactsServersAcrossADstChange() {
        liveThrough(cloud("madrid", "Europe/Madrid"));
    }

    @Test
    void theReportsCountTheFactsServersWithAHalfHourOffset() {
        liveThrough(cloud("kolkata", "Asia/Kolkata"));
    }

    @Test
    void onADailyGridTheFactsAreTheServerDaysAndTheReportsCountTheirServersInUtc() {
        liveThrough(cloud("daily-utc", "UTC", 86_400));
    }

    @Test
    void onADailyGridTheReportsCountTheFactsServersAcrossADstChange() {
        liveThrough(cloud("daily-madrid", "Europe/Madrid", 86_400));
    }

    @Test
    void statementsOnTheFactsOfADailyGridWriteNoServerDaysAndLeaveTheHourlyOnesEqualToTheirFacts() {
        Cloud daily = cloud("statements-daily", "UTC", 86_400);
        Cloud hourly = cloud("statements-hourly", "UTC");
        Partitions.ensureMonths(jdbi(), DAY, DAY.plus(Duration.ofDays(3)));
        String insert = "INSERT INTO metrics.usage_fact SELECT c.cloud_id, w, w + make_interval(secs => c.window_seconds),"
                + " s.id::uuid, s.project, 1, 1, 512, 1, 1, 1, 512, 1, 'active', false, 1"
                + " FROM metrics.cloud c, (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),"
                + " ('00000000-0000-0000-0000-000000000002', 'p-b')) s(id, project),"
                + " generate_series(timestamptz '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z',"
                + " make_interval(secs => c.window_seconds)) w"
                + " WHERE c.cloud_id IN (:daily, :hourly)";
        List<String> statements = List.of(
                insert,
                "UPDATE metrics.usage_fact SET project_id = 'p-c' WHERE cloud_id IN (:daily, :hourly)"
                        + " AND instance_id = '00000000-0000-0000-0000-000000000002' AND window_start >= '2026-10-25T00:00:00Z'",
                "DELETE FROM metrics.usage_fact WHERE cloud_id IN (:daily, :hourly) AND window_start < '2026-10-25T00:00:00Z'");

        for (String statement : statements) {
            jdbi().useHandle(h -> h.createUpdate(statement).bind("daily", daily.cloudId()).bind("hourly", hourly.cloudId())
                    .execute());
            assertKeepsNoServerDays(jdbi(), daily.cloudId());
            assertServerDaysAreTheFacts(jdbi(), hourly.cloudId());
        }
        assertReportsCountTheFactsServers(daily);
    }

    @Test
    void everyKindOfStatementOnTheFactsKeepsTheServerDaysEqualToTheFacts() {
        Cloud cloud = cloud("statements", "UTC");
        Partitions.ensureMonths(jdbi(), DAY, DAY.plus(Duration.ofDays(1)));
        String insert = "INSERT INTO metrics.usage_fact SELECT :cloud, w, w + interval '1 hour', s.id::uuid, s.project,"
                + " 1, 1, 512, 1, 1, 1, 512, 1, 'active', w >= timestamptz '2026-10-24T20:00:00Z', 1"
                + " FROM (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),"
                + " ('00000000-0000-0000-0000-000000000002', 'p-a'), ('00000000-0000-0000-0000-000000000003', 'p-b')) s(id, project),"
                + " generate_series(timestamptz '2026-10-24T00:00:00Z', '2026-10-24T23:00:00Z', interval '1 hour') w";
        List<String> statements = List.of(
                insert,
                "UPDATE metrics.usage_fact SET hours = 0.5 WHERE cloud_id = :cloud"
                        + " AND instance_id = '00000000-0000-0000-0000-000000000001' AND window_start < '2026-10-24T06:00:00Z'",
                "UPDATE metrics.usage_fact SET project_id = 'p-c', provisional = NOT provisional WHERE cloud_id = :cloud"
                        + " AND instance_id = '00000000-0000-0000-0000-000000000003' AND window_start >= '2026-10-24T12:00:00Z'",
                "UPDATE metrics.usage_fact SET state = 'stopped' WHERE cloud_id = :cloud",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND provisional",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND window_start = '2026-10-24T10:00:00Z'",
                insert + " ON CONFLICT (cloud_id, window_start, instance_id) DO UPDATE SET project_id = excluded.project_id,"
                        + " hours = excluded.hours, provisional = excluded.provisional",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND window_start < '2026-10-24T03:00:00Z'",
                "UPDATE metrics.usage_fact SET project_id = 'p-b' WHERE cloud_id = :cloud"
                        + " AND instance_id = '00000000-0000-0000-0000-000000000002' AND window_start = '2026-10-24T23:00:00Z'",
                "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND instance_id = '00000000-0000-0000-0000-000000000001'");

        for (String statement : statements) {
            jdbi().useHandle(h -> h.createUpdate(statement).bind("cloud", cloud.cloudId()).execute());
            assertServerDaysAreTheFacts(jdbi(), cloud.cloudId());
        }
        assertThat(rows(jdbi(), "SELECT * FROM metrics.usage_server_day WHERE cloud_id = :cloud AND facts <= 0",
                cloud.cloudId())).isEmpty();
    }

    /**
     * A local day strictly inside a UTC day: a zone at UTC-0:30 that moves to UTC+0:30 gives 2026-03-29 as
     * [00:30Z, 23:30Z). A server with windows at 00:00Z and 23:30Z only has none in it, one with a window at 12:00Z
     * too has one (both have their first window before the day and their last after it): only the facts tell.
     */
    @Test
    void aLocalDayStrictlyInsideAUtcDayCountsOnlyTheServersWithFactsInIt() {
        Cloud cloud = cloud("inside", "<-0030>0:30<+0030>-0:30,M3.5.0/1,M10.5.0/1", 1800);
        Partitions.ensureMonths(jdbi(), Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z"));
        jdbi().useHandle(h -> h.createUpdate("INSERT INTO metrics.usage_fact SELECT :cloud, w, w + interval '30 minutes',"
                        + " s.id::uuid, 'p-a', 1, 1, 512, 1, 0.5, 0.5, 256, 0.5, 'active', false, 1"
                        + " FROM (VALUES ('00000000-0000-0000-0000-000000000001', timestamptz '2026-03-29T00:00:00Z'),"
                        + " ('00000000-0000-0000-0000-000000000001', '2026-03-29T23:30:00Z'),"
                        + " ('00000000-0000-0000-0000-000000000002', '2026-03-29T12:00:00Z'),"
                        + " ('00000000-0000-0000-0000-000000000003', '2026-03-29T00:00:00Z'),"
                        + " ('00000000-0000-0000-0000-000000000003', '2026-03-29T12:00:00Z'),"
                        + " ('00000000-0000-0000-0000-000000000003', '2026-03-29T23:30:00Z')) s(id, w)")
                .bind("cloud", cloud.cloudId()).execute());

        assertServerDaysAreTheFacts(jdbi(), cloud.cloudId());
        assertThat(rows(jdbi(), DAILY_SERVERS, cloud.cloudId())).extracting(row -> row.get("day") + " " + row.get("server_count"))
                .containsExactly("2026-03-28 2", "2026-03-29 2", "2026-03-30 2");
        assertReportsCountTheFactsServers(cloud);
    }

    @Test
    void aServerDayOutOfStepWithTheFactsFailsTheWriteInsteadOfCountingBelowZero() {
        Cloud cloud = cloud("out-of-step", "UTC");
        load(cloud, Scope.allProjects(), DAY, DAY.plus(Duration.ofDays(1)), LATER, fleet(), false);
        jdbi().useHandle(h -> h.createUpdate("DELETE FROM metrics.usage_server_day WHERE cloud_id = :cloud AND project_id = 'p-a'")
                .bind("cloud", cloud.cloudId()).execute());

        assertThatThrownBy(() -> jdbi().useHandle(h -> h.createUpdate(
                        "DELETE FROM metrics.usage_fact WHERE cloud_id = :cloud AND project_id = 'p-a'")
                .bind("cloud", cloud.cloudId()).execute()))
                .hasMessageContaining("metrics.usage_server_day is out of step with metrics.usage_fact");
        assertThat(rows(jdbi(), "SELECT * FROM metrics.usage_fact WHERE cloud_id = :cloud AND project_id = 'p-a'",
                cloud.cloudId())).isNotEmpty();
    }

    @Test
    void upgradeKeepsTheServerDaysOfTheFactsLoadedBefore() {
        try (TestDatabase old = TestDatabases.freshAtVersion("107")) {
            old.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('old', 3600);
                    CREATE TABLE metrics.usage_fact_old PARTITION OF metrics.usage_fact
                        FOR VALUES FROM ('2026-10-01Z') TO ('2026-11-01Z');
                    INSERT INTO metrics.usage_fact
                    SELECT 1, w, w + interval '1 hour', s.id::uuid, s.project, 1, 1, 512, 1, 1, 1, 512, 1, 'active', false, 1
                    FROM (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),
                                 ('00000000-0000-0000-0000-000000000002', 'p-b')) s(id, project),
                         generate_series(timestamptz '2026-10-01T05:00Z', '2026-10-03T07:00Z', interval '1 hour') w;
                    """));

            old.database().migrate();

            assertThat(rows(old.jdbi(), SERVER_DAYS, 1)).hasSize(6);
            assertServerDaysAreTheFacts(old.jdbi(), 1);
        }
    }

    @Test
    void upgradeRemovesTheServerDaysOfADailyGridAndKeepsTheOthers() {
        try (TestDatabase old = TestDatabases.freshAtVersion("110")) {
            old.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES ('hourly', 3600), ('daily', 86400);
                    CREATE TABLE metrics.usage_fact_old PARTITION OF metrics.usage_fact
                        FOR VALUES FROM ('2026-10-01Z') TO ('2026-11-01Z');
                    INSERT INTO metrics.usage_fact
                    SELECT c.cloud_id, w, w + make_interval(secs => c.window_seconds), s.id::uuid, s.project,
                           1, 1, 512, 1, 1, 1, 512, 1, 'active', false, 1
                    FROM metrics.cloud c,
                         (VALUES ('00000000-0000-0000-0000-000000000001', 'p-a'),
                                 ('00000000-0000-0000-0000-000000000002', 'p-b')) s(id, project),
                         generate_series(timestamptz '2026-10-01T00:00Z', '2026-10-03T00:00Z',
                                         make_interval(secs => c.window_seconds)) w;
                    """));
            assertThat(rows(old.jdbi(), SERVER_DAYS, 2)).hasSize(6);

            old.database().migrate();

            assertServerDaysAreTheFacts(old.jdbi(), 1);
            assertKeepsNoServerDays(old.jdbi(), 2);
        }
    }
}

package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.report.SmallCloudData;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * {@code clouds list|set} and the billing start's effect on report.coverage, on the small cloud (daily windows,
 * Oct 1..20 and 22 loaded, Oct 23 provisional) plus one day of an old archive imported for 2021-03-01.
 */
class CloudsCommandTest {
    private static final String CLOUD = "keystone.example:5000/RegionOne";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @BeforeAll
    static void loadSmallCloudWithAnOldArchiveDay() {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO metrics.extracted_range (cloud_id, scope, range_start, range_end,"
                + " stop, provisional, microversion, server_count, extracted_at, run_id)"
                + " VALUES (1, '*', '2021-03-01Z', '2021-03-02Z', '2021-03-02Z', false, 'archive', 1, now(), 1)"));
    }

    @BeforeEach
    void noBillingSettings() {
        db.jdbi().useHandle(h -> h.execute("UPDATE metrics.cloud SET billing_start = NULL, time_zone = 'UTC'"));
    }

    private static CommandRun clouds(String... arguments) {
        String[] args = new String[arguments.length + 3];
        args[0] = "clouds";
        System.arraycopy(arguments, 0, args, 1, arguments.length);
        args[arguments.length + 1] = "--db-url";
        args[arguments.length + 2] = db.jdbcUrl();
        return CommandRun.of(Map.of(), args);
    }

    /** The coverage periods before Oct 23 as "status start windows". */
    private static List<String> coverageBefore(String end) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status, period_start, windows FROM report.coverage"
                        + " WHERE period_start < CAST(:end AS timestamptz) ORDER BY period_start")
                .bind("end", end)
                .map((rs, ctx) -> rs.getString(1) + " " + rs.getObject(2, OffsetDateTime.class).toInstant() + " " + rs.getLong(3))
                .list());
    }

    @Test
    void listShowsGridBillingStartZoneAndLoadedSpan() {
        CommandRun run = clouds("list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out().lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .containsExactly(CLOUD, "1d", "-", "UTC", "2021-03-01T00:00:00Z", "2026-10-24T00:00:00Z");
    }

    @Test
    void withoutBillingStartAnImportedArchiveMakesYearsOfMissingWindows() {
        assertThat(coverageBefore("2026-10-02Z")).containsExactly(
                "loaded 2021-03-01T00:00:00Z 1",
                "missing 2021-03-02T00:00:00Z 2039",
                "loaded 2026-10-01T00:00:00Z 20");
    }

    @Test
    void billingStartMakesWhatLiesBeforeItHistory() {
        CommandRun run = clouds("set", CLOUD, "--billing-start", "2026-10-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("2026-10-01T00:00:00Z");
        assertThat(coverageBefore("2026-10-22Z")).containsExactly(
                "loaded 2021-03-01T00:00:00Z 1",
                "loaded 2026-10-01T00:00:00Z 20",
                "missing 2026-10-21T00:00:00Z 1");
    }

    @Test
    void billingStartBeforeTheFirstLoadMakesTheWindowsBetweenMissing() {
        assertThat(clouds("set", CLOUD, "--billing-start", "2026-09-25").exitCode()).isZero();

        assertThat(coverageBefore("2026-10-02Z")).containsExactly(
                "loaded 2021-03-01T00:00:00Z 1",
                "missing 2026-09-25T00:00:00Z 6",
                "loaded 2026-10-01T00:00:00Z 20");
    }

    @Test
    void noneClearsTheBillingStart() {
        assertThat(clouds("set", CLOUD, "--billing-start", "2026-10-01").exitCode()).isZero();
        CommandRun run = clouds("set", CLOUD, "--billing-start", "none");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Boolean cleared = db.jdbi().withHandle(h -> h.createQuery("SELECT billing_start IS NULL FROM metrics.cloud")
                .mapTo(Boolean.class).one());
        assertThat(cleared).isTrue();
        assertThat(coverageBefore("2026-10-02Z")).contains("missing 2021-03-02T00:00:00Z 2039");
    }

    @Test
    void unknownCloudIsRefusedNamingTheKnownOnes() {
        CommandRun run = clouds("set", "nope", "--billing-start", "2026-10-01");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no cloud 'nope'").contains(CLOUD);
    }

    @Test
    void billingStartOffTheGridIsRefused() {
        CommandRun run = clouds("set", CLOUD, "--billing-start", "2026-10-01T06:00Z");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not a window start").contains("1d");
        assertThat(coverageBefore("2026-10-02Z")).contains("missing 2021-03-02T00:00:00Z 2039");
    }

    @Test
    void malformedBillingStartIsRefused() {
        CommandRun run = clouds("set", CLOUD, "--billing-start", "2026-13-01");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("2026-13-01");
    }

    @Test
    void aDailyGridRefusesAnyZoneButUtcSayingWhy() {
        CommandRun run = clouds("set", CLOUD, "--time-zone", "Europe/Madrid");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Europe/Madrid").contains("1d grid allows UTC only").contains("1h");
        String zone = db.jdbi().withHandle(h -> h.createQuery("SELECT time_zone FROM metrics.cloud").mapTo(String.class).one());
        assertThat(zone).isEqualTo("UTC");
    }

    @Test
    void unknownOrFixedOffsetZonesAreRefused() {
        assertThat(clouds("set", CLOUD, "--time-zone", "Mars/Olympus").exitCode()).isEqualTo(2);
        assertThat(clouds("set", CLOUD, "--time-zone", "+02:00").exitCode()).isEqualTo(2);
    }
}

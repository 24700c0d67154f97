package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimFlavor;
import org.osmetrics.sim.SimInstance;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * backfill's range as an operator types it, against the simulated OpenStack over HTTP: implausible ranges are
 * refused before Nova is asked anything, and only the months that receive facts get a partition.
 */
class BackfillRangeBoundsTest {
    /** The only servers of the cloud run in September 2026. */
    private static final Instant SEPTEMBER = Instant.parse("2026-09-01T00:00:00Z");

    @RegisterExtension
    final TestDatabaseExtension test = TestDatabaseExtension.migrated();
    private Jdbi jdbi;
    private SimServer sim;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        jdbi = test.jdbi();
        SimCloud.Builder cloud = SimCloud.builder().project("p1", "one");
        SimFlavor flavor = new SimFlavor("m1.small", 1, 2048, 20, 0);
        for (int n = 0; n < 5; n++) {
            Instant launched = SEPTEMBER.plus(Duration.ofDays(3 * n + 1));
            cloud.instance(new SimInstance(UUID.nameUUIDFromBytes(("s" + n).getBytes()).toString(), "s" + n, "p1",
                    flavor, launched, launched.plus(Duration.ofDays(2)), "deleted"));
        }
        sim = SimServer.start(cloud.build(), Clock.systemUTC());
        env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", test.jdbcUrl());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private CommandRun backfill(String... args) {
        List<String> all = new ArrayList<>(List.of("backfill", "--all-projects"));
        all.addAll(List.of(args));
        return CommandRun.of(env, all.toArray(String[]::new));
    }

    private List<String> partitions() {
        return jdbi.withHandle(h -> h.createQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'metrics.usage_fact'::regclass ORDER BY 1").mapTo(String.class).list());
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aRangeFromBeforeOpenStackExistedIsRefusedBeforeAskingNova() {
        CommandRun run = backfill("--from", "1950-01-01", "--to", "2050-01-01");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .contains("--from 1950-01-01T00:00:00Z is before 2010-10-21")
                .contains("OpenStack's first release");
        assertThat(sim.usageRequests()).as("Nova is asked nothing").isEmpty();
        assertThat(partitions()).isEmpty();
        assertThat(count("SELECT count(*) FROM metrics.extracted_range")).isZero();
    }

    @Test
    void anImplausibleRangeIsRefusedBeforeTheCredentialsAreLookedAt() {
        CommandRun run = CommandRun.of(Map.of("HOME", "/nonexistent"), "backfill",
                "--from", "1950-01-01", "--to", "2050-01-01", "--all-projects");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("is before 2010-10-21");
    }

    @Test
    void aRangeStartingInTheFutureIsRefused() {
        Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));

        CommandRun run = backfill("--from", tomorrow.toString(), "--to", tomorrow.plus(Duration.ofDays(3)).toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("is in the future: nothing to backfill");
        assertThat(sim.usageRequests()).isEmpty();
    }

    @Test
    void aRangeOfMoreThanTenYearsNeedsAllowLongRangeAndThenCreatesPartitionsOnlyForMonthsWithFacts() {
        CommandRun refused = backfill("--from", "2014-01-01", "--to", "2026-10-01", "--call-span", "180d");

        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString()
                .contains("2014-01-01T00:00:00Z..2026-10-01T00:00:00Z spans more than 10 years")
                .contains("--allow-long-range");
        assertThat(sim.usageRequests()).isEmpty();

        CommandRun allowed = backfill("--from", "2014-01-01", "--to", "2026-10-01", "--call-span", "180d",
                "--allow-long-range");

        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(sim.usageRequests()).hasSizeGreaterThan(25);
        assertThat(partitions()).as("a month without facts gets no partition").containsExactly("usage_fact_y2026m09");
        assertThat(count("SELECT count(*) FROM metrics.usage_fact")).isPositive();
        assertThat(count("SELECT count(*) FROM metrics.extracted_range WHERE range_start < '2026-01-01'"))
                .as("the empty ranges are covered: Nova was asked and answered nothing").isPositive();
    }

    @Test
    void aRangeWithoutServersCreatesNoPartition() {
        CommandRun run = backfill("--from", "2026-01-01", "--to", "2026-08-01", "--call-span", "30d");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(" 0 servers, 0 rows");
        assertThat(partitions()).isEmpty();
    }
}

package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * A real backfill process (a child JVM running {@code os-metrics backfill}) killed with SIGKILL at several
 * points, then started again until it completes, against the simulator: its rows must equal those of one
 * uninterrupted backfill, row by row, with no range loaded twice and none missing.
 */
class BackfillKillTest {
    private static final Instant FROM = Instant.parse("2026-08-03T00:00:00Z");
    private static final int DAYS = 14;
    private static final Instant TO = FROM.plus(Duration.ofDays(DAYS));
    private static final Instant SIM_NOW = Instant.parse("2026-09-01T08:00:00Z");

    @TempDir
    Path logs;

    @Test
    void killedAndResumedBackfillGivesTheSameRowsAsOneUninterruptedBackfill() throws Exception {
        SimClock clock = new SimClock(SIM_NOW);
        SimCloud cloud = SimCloud.generate(20261125, 4, 120, FROM.minus(Duration.ofDays(10)), TO.plus(Duration.ofDays(5)));
        try (SimServer sim = SimServer.start(cloud, clock);
             TestDatabase killed = TestDatabases.fresh();
             TestDatabase reference = TestDatabases.fresh()) {
            Map<String, String> env = SimulatorLogins.admin(sim);
            StringWriter err = new StringWriter();
            int referenceExit = Main.execute(withDatabase(env, reference), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), backfillArguments());
            assertThat(referenceExit).as(err.toString()).isZero();

            // each launch is killed after it has committed 1 to 5 more chunks (seeded, so a failure replays)
            Random random = new Random(42);
            List<Integer> killedAt = new ArrayList<>();
            int launches = 3;
            for (int launch = 1; launch <= launches; launch++) {
                int point = ranges(killed.jdbi()) + 1 + random.nextInt(5);
                try (ChildProcess child = ChildProcess.start(withDatabase(env, killed), logs.resolve("child-" + launch + ".log"),
                        backfillArguments())) {
                    child.awaitUntil(() -> ranges(killed.jdbi()) >= point, Duration.ofSeconds(60));
                    child.kill();  // SIGKILL: no shutdown hook, no rollback by the JVM
                    child.waitFor(Duration.ofSeconds(30));
                    int loaded = ranges(killed.jdbi());
                    if (loaded < DAYS) {
                        killedAt.add(loaded);
                    }
                }
            }
            int exit;
            String output;
            try (ChildProcess last = ChildProcess.start(withDatabase(env, killed), logs.resolve("child-final.log"),
                    backfillArguments())) {
                exit = last.waitFor(Duration.ofSeconds(120));
                output = last.output();
            }

            assertThat(exit).as(output).isZero();
            assertThat(killedAt).as("kills landed in the middle of the backfill").isNotEmpty();
            assertThat(rows(killed.jdbi(), FACTS)).isNotEmpty().containsExactlyElementsOf(rows(reference.jdbi(), FACTS));
            assertThat(rows(killed.jdbi(), SERVERS)).containsExactlyElementsOf(rows(reference.jdbi(), SERVERS));
            assertThat(rows(killed.jdbi(), RANGES)).as("every day once, none missing")
                    .hasSize(DAYS).containsExactlyElementsOf(rows(reference.jdbi(), RANGES));
            assertThat(rows(killed.jdbi(), "SELECT status || ': ' || coalesce(error, '') FROM metrics.run ORDER BY run_id"))
                    .as("killed runs stay visible in the ledger, closed by the next run")
                    .hasSize(launches + 1).endsWith("succeeded: ")
                    .filteredOn(status -> status.equals("failed: interrupted: the process ended without finishing"))
                    .hasSize(killedAt.size());
        }
    }

    private static final String FACTS = "SELECT concat_ws('|', f.instance_id, f.window_start, f.window_end, f.project_id,"
            + " fl.name, f.vcpus, f.memory_mb, f.local_gb, f.hours, f.vcpu_hours, f.memory_mb_hours, f.local_gb_hours,"
            + " f.state, f.provisional) FROM metrics.usage_fact f JOIN metrics.flavor fl ON fl.flavor_id = f.flavor_id"
            + " ORDER BY f.instance_id, f.window_start";
    private static final String SERVERS = "SELECT concat_ws('|', s.instance_id, s.project_id, s.name, fl.name,"
            + " s.started_at, s.ended_at, s.state, s.first_seen, s.last_seen) FROM metrics.server s"
            + " JOIN metrics.flavor fl ON fl.flavor_id = s.flavor_id ORDER BY s.instance_id";
    private static final String RANGES = "SELECT concat_ws('|', scope, range_start, range_end, stop, provisional,"
            + " server_count) FROM metrics.extracted_range ORDER BY scope, range_start";

    private static String[] backfillArguments() {
        return new String[] {"backfill", "--from", FROM.toString(), "--to", TO.toString(), "--all-projects",
            "--parallel", "2", "--call-span", "1d", "--quiet"};
    }

    private static Map<String, String> withDatabase(Map<String, String> env, TestDatabase database) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("OS_METRICS_DB_URL", database.jdbcUrl());
        return all;
    }

    private static int ranges(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM metrics.extracted_range").mapTo(Integer.class).one());
    }

    private static List<String> rows(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }
}

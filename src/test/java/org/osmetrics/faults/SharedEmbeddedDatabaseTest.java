package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.SimulatorLogins;

/**
 * Several real os-metrics processes on one embedded database (the README's crontab: {@code run} every 15
 * minutes, {@code status} every 5): they share its server, whoever started it; the server stops when the last
 * one leaves, and no PostgreSQL process is left for the folder. A run is held mid-extraction by the simulator
 * (its next usage answer waits for the test's release), so the overlaps are certain, not timed.
 */
class SharedEmbeddedDatabaseTest {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final List<Hold> holds = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void releaseEverything() throws Exception {
        holds.forEach(Hold::release);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        // a failed test must not leave its server behind
        try (var folders = Files.list(root)) {
            for (Path pidFile : folders.map(folder -> folder.resolve("pg").resolve("postmaster.pid")).filter(Files::exists).toList()) {
                ProcessHandle.of(postmasterPid(pidFile.getParent().getParent())).ifPresent(server -> {
                    server.destroy();
                    server.onExit().completeOnTimeout(server, 30, TimeUnit.SECONDS).join();
                });
            }
        }
    }

    @Test
    void statusAndExportBesideABackfillAndARunSucceedAndTheRunGoesOnWhenTheBackfillThatStartedTheServerLeaves() {
        SimServer first = sim(12);
        SimServer second = sim(13);
        Path data = root.resolve("data");
        Hold backfillHold = holdNextUsageAnswer(first);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ChildProcess backfill = start("backfill", first, data, "backfill", "--all-projects", "--window", "1d",
                "--from", today.minusDays(2).toString(), "--to", today.toString());
        assertThat(backfillHold.awaitHeld(backfill)).as("the backfill reached its first usage call:\n"
                + backfill.output()).isTrue();
        long postmaster = postmasterPid(data);

        Hold runHold = holdNextUsageAnswer(second);
        ChildProcess run = start("run", second, data, "run", "--all-projects", "--window", "1d", "--initial-lookback", "2d");
        ChildProcess status = start("status", first, data, "status");
        ChildProcess export = start("export", first, data, "export", "--report", "server_usage", "--out",
                root.resolve("servers.csv").toString());
        assertThat(runHold.awaitHeld(run)).as("the run reached its first usage call:\n" + run.output()).isTrue();
        assertThat(status.waitFor(START)).as("status beside a backfill and a run:\n" + status.output()).isZero();
        assertThat(export.waitFor(START)).as("export beside a backfill and a run:\n" + export.output()).isZero();
        assertThat(backfill.isAlive() && run.isAlive()).as("the backfill and the run held the database all along").isTrue();
        assertThat(postmasterPid(data)).as("one server served them all").isEqualTo(postmaster);

        backfillHold.release();
        assertThat(backfill.waitFor(START)).as("the backfill, which started the server, leaves first:\n"
                + backfill.output()).isZero();
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("the server outlives its starter")
                .isPresent();

        runHold.release();
        assertThat(run.waitFor(START)).as("the run goes on after the starter left:\n" + run.output()).isZero();
        assertNoServerLeft(data, postmaster);
        assertThat(ledger(data)).containsExactly("backfill succeeded", "run succeeded");
    }

    @Test
    void twoRunsStartingTogetherOnAFreshDataFolderBothSucceed() {
        SimServer first = sim(14);
        SimServer second = sim(15);
        Path data = root.resolve("fresh");
        ChildProcess one = start("one", first, data, "run", "--all-projects", "--window", "1d", "--initial-lookback", "2d");
        ChildProcess two = start("two", second, data, "run", "--all-projects", "--window", "1d", "--initial-lookback", "2d");
        assertThat(one.waitFor(START)).as(one.output()).isZero();
        assertThat(two.waitFor(START)).as(two.output()).isZero();
        assertThat(data.resolve("pg").resolve("postmaster.pid")).as("the last one stopped the server").doesNotExist();
        assertNoPostgresFor(data);
        assertThat(ledger(data)).containsExactly("run succeeded", "run succeeded");
    }

    @Test
    void aServerLeftByAKilledRunIsStoppedByTheNextProcessToLeave() {
        SimServer sim = sim(16);
        Path data = root.resolve("data");
        Hold hold = holdNextUsageAnswer(sim);
        ChildProcess run = start("killed", sim, data, "run", "--all-projects", "--window", "1d", "--initial-lookback", "2d");
        assertThat(hold.awaitHeld(run)).as(run.output()).isTrue();
        long postmaster = postmasterPid(data);
        run.kill();
        run.waitFor(Duration.ofSeconds(30));
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("nobody stopped it").isPresent();

        ChildProcess status = start("status", sim, data, "status");
        assertThat(status.waitFor(START)).as(status.output()).isZero();
        assertNoServerLeft(data, postmaster);
    }

    @Test
    void aCommandEndedBySigtermWhileTheLastUserStopsTheServer() throws Exception {
        SimServer sim = sim(17);
        Path data = root.resolve("data");
        Database database = Database.open(new DatabaseSettings(null, null, null, data));
        resources.add(database);
        database.migrate();
        long postmaster = postmasterPid(data);
        // a session of this JVM locks the ledger: status waits for it, in a query, when SIGTERM comes
        Connection locker = database.dataSource().getConnection();
        resources.add(locker);
        locker.setAutoCommit(false);
        try (Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLE metrics.run IN ACCESS EXCLUSIVE MODE");
        }
        ChildProcess status = start("status", sim, data, "status");
        assertThat(status.awaitUntil(() -> waitingForALock(database), START)).as(status.output()).isTrue();
        database.close(); // this JVM leaves (it started the server): status is its last user now

        status.terminate();
        assertThat(status.waitFor(START)).as(status.output()).isEqualTo(143);
        assertNoServerLeft(data, postmaster);
    }

    private static boolean waitingForALock(Database database) {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rows.next();
            return rows.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private SimServer sim(long seed) {
        Instant now = Instant.now();
        SimServer sim = SimServer.start(SimCloud.generate(seed, 2, 8, now.minus(Duration.ofDays(3)), now.minus(Duration.ofHours(1))),
                Clock.systemUTC());
        resources.add(sim);
        return sim;
    }

    private ChildProcess start(String name, SimServer sim, Path data, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--data-dir", data.toString()));
        Map<String, String> env = SimulatorLogins.admin(sim);
        ChildProcess child = ChildProcess.start(env, root.resolve(name + ".log"), command.toArray(String[]::new));
        resources.add(child);
        return child;
    }

    private Hold holdNextUsageAnswer(SimServer sim) {
        Hold hold = new Hold();
        holds.add(hold);
        sim.faults().rewriteNextBody(body -> {
            hold.held.countDown();
            try {
                hold.released.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return body;
        });
        return hold;
    }

    /** The pid PostgreSQL wrote on the first line of {@code postmaster.pid}. */
    private static long postmasterPid(Path data) {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("pg").resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last process to leave waits until the server has exited before it exits itself. */
    private static void assertNoServerLeft(Path data, long postmaster) {
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("the server, pid " + postmaster).isEmpty();
        assertThat(data.resolve("pg").resolve("postmaster.pid")).doesNotExist();
        assertNoPostgresFor(data);
    }

    private static void assertNoPostgresFor(Path data) {
        String pgData = data.resolve("pg").toString();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(pgData))).as("processes on " + pgData).isEmpty();
    }

    /** "command status" of each ledger row, oldest first (read after the processes ended). */
    private static List<String> ledger(Path data) {
        try (Database database = Database.open(new DatabaseSettings(null, null, null, data))) {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT command || ' ' || status FROM metrics.run ORDER BY run_id")
                    .mapTo(String.class).list());
        }
    }

    /** The simulator's next usage answer, held until {@link #release()}. */
    private static final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        boolean awaitHeld(ChildProcess child) {
            return child.awaitUntil(() -> held.getCount() == 0, START);
        }

        void release() {
            released.countDown();
        }
    }
}

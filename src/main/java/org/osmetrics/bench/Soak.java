package org.osmetrics.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.RenamedSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.pipeline.Backfill;
import org.osmetrics.pipeline.CatchUp;
import org.osmetrics.load.Database;
import org.osmetrics.report.Status;
import org.osmetrics.sim.SimClock;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimResize;
import org.osmetrics.sim.SimServer;
import org.osmetrics.transform.WindowGrid;

/**
 * The unattended-operation soak: a month of {@code run} every 15 minutes on a simulated clock, as the README's
 * crontab would do it, with faults drawn at random (5xx, connection resets, stalls past the read timeout, bodies
 * cut short, outages past the retry budget, runs killed mid-load, the database ending every session) in a cloud
 * whose servers are created, resized and deleted meanwhile. At the end it proves: the facts equal one clean
 * backfill of the month, row for row, except the windows Nova no longer reports (before a resize reset a
 * server's launched_at: why regular runs matter), every killed run's ledger row is closed, and status shows no
 * gap and no stale scope.
 *
 * <p>A killed run is a run whose database sessions are ended by the server while its usage call is in flight
 * and whose login may not connect again, so it can neither roll forward nor close its ledger row: what a
 * SIGKILL leaves behind. That needs the right to create roles (the embedded default has it); without it
 * kills are left out and the result says so.
 */
final class Soak {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private static final WindowGrid HOURLY = WindowGrid.ofSeconds(3600);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RETRY_FOR = Duration.ofSeconds(3);
    private static final String DOOMED_ROLE = "os_metrics_soak_doomed";

    /** What can happen to one run; the weights are per thousand runs. */
    enum Fault {
        NONE(850), SERVER_ERROR(30), RESET(25), STALL(20), TRUNCATED_BODY(25), OUTAGE(12), KILLED(4),
        SESSIONS_ENDED(4), ANSWERED_TWICE(30);

        final int weight;

        Fault(int weight) {
            this.weight = weight;
        }

        static Fault draw(Random random, boolean kills) {
            int total = 0;
            for (Fault fault : values()) {
                total += fault == KILLED && !kills ? 0 : fault.weight;
            }
            int pick = random.nextInt(total);
            for (Fault fault : values()) {
                int weight = fault == KILLED && !kills ? 0 : fault.weight;
                if (pick < weight) {
                    return fault;
                }
                pick -= weight;
            }
            return NONE;
        }
    }

    /** The sizes of the soak. */
    record Settings(int servers, int days, Duration cadence, long seed) {
        Settings {
            if (servers < 1 || days < 1 || cadence.compareTo(Duration.ofMinutes(1)) < 0) {
                throw OsMetricsException.usage("soak: servers and days must be at least 1, the cadence at least 1m");
            }
        }
    }

    private final Database database;
    private final Settings settings;
    private final PrintWriter out;

    Soak(Database database, Settings settings, PrintWriter out) {
        this.database = database;
        this.settings = settings;
        this.out = out;
    }

    /** Runs the month and checks it; returns its line of the table (throws when a check fails). */
    Figure run(Meter meter) {
        long began = System.nanoTime();
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant start = end.minus(Duration.ofDays(settings.days()));
        SimClock clock = new SimClock(start);
        SimCloud cloud = SimCloud.generate(settings.seed(), 5, settings.servers(), start, end);
        Random random = new Random(settings.seed());
        boolean kills = canKill();
        Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        Map<Integer, Integer> exits = new TreeMap<>();
        int runs = 0;
        try (SimServer sim = SimServer.start(cloud, clock)) {
            OpenStackSettings openstack = OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(),
                    SimCredentials.adminOpenrc(sim.authUrl()), new ClientTuning(1000, Duration.ofDays(1), RETRY_FOR,
                            Duration.ofSeconds(2), READ_TIMEOUT));
            String cloudKey = null;
            for (Instant tick = start.plus(settings.cadence()); !tick.isAfter(end); tick = tick.plus(settings.cadence())) {
                // cron starts the job within a minute of its time
                clock.set(tick.plusMillis(random.nextInt(60_000)));
                Fault fault = Fault.draw(random, kills);
                faults.merge(fault, 1, Integer::sum);
                int exit = fault == Fault.KILLED ? kill(sim, openstack, clock)
                        : runOnce(sim, openstack, clock, fault, tick.equals(start.plus(settings.cadence())));
                exits.merge(exit, 1, Integer::sum);
                runs++;
                if (runs % 288 == 0) {
                    out.printf(Locale.ROOT, "soak: day %d of %d, %,d runs, exits %s%n", runs / 96, settings.days(), runs,
                            exits);
                    out.flush();
                }
            }
            // the last run of the month, an hour after its end: every window of the month has closed
            clock.set(end.plus(Duration.ofMinutes(61)));
            exits.merge(runOnce(sim, openstack, clock, Fault.NONE, false), 1, Integer::sum);
            runs++;
            try (OpenStackUsageSource probe = OpenStackUsageSource.connect(openstack, clock)) {
                cloudKey = probe.cloudKey();
            }
            String referenceKey = cloudKey + "#clean-backfill";
            new Backfill(database, clock).run(() -> new RenamedSource(OpenStackUsageSource.connect(openstack, clock),
                            referenceKey),
                    new Backfill.Request("soak reference", ScopeChoice.allProjects(), start, end, HOURLY, Duration.ofDays(1),
                            2, false, false, false), new Backfill.Listener() { });
            String checked = verify(cloud, cloudKey, referenceKey, start, end, clock, runs, faults, exits, kills, began);
            return new Figure("soak: " + settings.days() + " days of run every " + settings.cadence().toMinutes()
                    + " min", runs, (System.nanoTime() - began) / 1e9, meter.sample(), -1, 0, null, checked);
        } finally {
            dropDoomedRole(kills);
        }
    }

    /** One cron run in this process, with {@code fault} armed in the simulator first. */
    private int runOnce(SimServer sim, OpenStackSettings openstack, SimClock clock, Fault fault, boolean first) {
        switch (fault) {
            case SERVER_ERROR -> sim.faults().failNext(503, 1);
            case RESET -> sim.faults().resetConnectionNext();
            case STALL -> sim.faults().delayNext(READ_TIMEOUT.plusMillis(500));
            case TRUNCATED_BODY -> sim.faults().truncateNextBody();
            case OUTAGE -> sim.faults().failNext(503, 1_000);
            case ANSWERED_TWICE -> { } // a run right after another: nothing new but the open window
            default -> { }
        }
        AtomicReference<Thread> ender = new AtomicReference<>();
        if (fault == Fault.SESSIONS_ENDED) {
            sim.faults().delayNext(Duration.ofMillis(700));
            Thread thread = new Thread(() -> {
                sleep(Duration.ofMillis(300));
                endSessions(false);
            }, "soak-sessions-ended");
            thread.start();
            ender.set(thread);
        }
        try {
            int exit = catchUp(database, openstack, clock, first);
            if (fault == Fault.ANSWERED_TWICE) {
                exit = Math.max(exit, catchUp(database, openstack, clock, false));
            }
            return exit;
        } finally {
            sim.faults().clear();
            if (ender.get() != null) {
                join(ender.get());
            }
        }
    }

    private int catchUp(Database database, OpenStackSettings openstack, SimClock clock, boolean first) {
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(openstack, clock)) {
            new CatchUp(database, clock).run(source, new CatchUp.Request("run", "--all-projects --quiet",
                    ScopeChoice.allProjects(), first ? HOURLY : null, Duration.ofDays(1), Duration.ofMinutes(16), false,
                    false), range -> { });
            return 0;
        } catch (RuntimeException e) {
            return ExitCode.of(e).code(); // as the cron job's process would end
        }
    }

    /**
     * A run killed while its usage call is in flight: its sessions are ended by the server and its login may not
     * connect again until it has given up, so its ledger row stays 'running' for the next run to close.
     */
    private int kill(SimServer sim, OpenStackSettings openstack, SimClock clock) {
        Jdbi admin = database.jdbi();
        admin.useHandle(handle -> handle.createUpdate(SQL.locate(Soak.class, "allowLogin")).define("role", DOOMED_ROLE).execute());
        DatabaseSettings doomedLogin = new DatabaseSettings(jdbcUrl() + "?user=" + DOOMED_ROLE + "&ApplicationName="
                + DOOMED_ROLE, null, null, null);
        sim.faults().delayNext(Duration.ofMillis(1_500));
        int usageCalls = sim.usageRequests().size();
        Thread doomed = new Thread(() -> {
            try (Database own = Database.open(doomedLogin)) {
                catchUp(own, openstack, clock, false); // its outcome is never heard of: the process was killed
            } catch (RuntimeException e) {
                // the same: a killed process says nothing
            }
        }, "soak-doomed-run");
        doomed.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sim.usageRequests().size() == usageCalls && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
        admin.useHandle(handle -> handle.createUpdate(SQL.locate(Soak.class, "refuseLogin")).define("role", DOOMED_ROLE).execute());
        endSessions(true);
        join(doomed);
        sim.faults().clear();
        return 137; // 128 + SIGKILL, as a shell reports a killed job
    }

    /** Ends the sessions of the doomed login, or every os-metrics session but this one's (as a restart does). */
    private void endSessions(boolean doomedOnly) {
        database.jdbi().useHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "endSessions"))
                .bind("user", doomedOnly ? DOOMED_ROLE : null)
                .mapTo(Long.class).one());
    }

    private void dropDoomedRole(boolean created) {
        if (created) {
            try {
                database.jdbi().useHandle(handle -> handle.createUpdate(SQL.locate(Soak.class, "dropRole"))
                        .define("role", DOOMED_ROLE).execute());
            } catch (RuntimeException e) {
                out.println("soak: role " + DOOMED_ROLE + " not dropped: " + e.getMessage());
            }
        }
    }

    /** Whether this database lets the soak create the doomed login (superuser or CREATEROLE). */
    private boolean canKill() {
        try {
            database.jdbi().useHandle(handle -> {
                boolean exists = handle.createQuery(SQL.locate(Soak.class, "roleExists")).bind("role", DOOMED_ROLE)
                        .mapTo(Boolean.class).one();
                if (!exists) {
                    handle.createUpdate(SQL.locate(Soak.class, "createRole")).define("role", DOOMED_ROLE).execute();
                }
                String owner = handle.createQuery(SQL.locate(Soak.class, "currentUser")).mapTo(String.class).one();
                handle.createUpdate(SQL.locate(Soak.class, "grantOwner")).define("owner", owner).define("role", DOOMED_ROLE)
                        .execute();
            });
            return true;
        } catch (RuntimeException e) {
            out.println("soak: no right to create a login role here, so no run is killed (" + e.getMessage() + ")");
            return false;
        }
    }

    private String jdbcUrl() {
        return database.jdbi().withHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "jdbcUrl")).mapTo(String.class).one());
    }

    /** Checks the month; returns what it proved in a few words, or throws. */
    private String verify(SimCloud cloud, String cloudKey, String referenceKey, Instant start, Instant end,
            SimClock clock, int runs, Map<Fault, Integer> faults, Map<Integer, Integer> exits, boolean kills, long began) {
        Jdbi jdbi = database.jdbi();
        // the billing columns of each fact: what a backfill at the end can know the same way (state is the
        // server's state when extracted, so it differs for servers that changed since)
        List<Map<String, Object>> onlyRuns = jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "factsOnlyIn"))
                .bind("in", cloudKey).bind("notIn", referenceKey).bind("start", start).bind("end", end)
                .mapToMap().list());
        List<Map<String, Object>> onlyBackfill = jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "factsOnlyIn"))
                .bind("in", referenceKey).bind("notIn", cloudKey).bind("start", start).bind("end", end)
                .mapToMap().list());
        long total = jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "factCount"))
                .bind("key", cloudKey).bind("start", start).bind("end", end).mapTo(Long.class).one());
        // a difference is explained only by a resize inside the month: Nova resets launched_at to it, so a backfill
        // after it no longer sees the server's hours before it (nor its old flavor)
        Map<String, Instant> resizedAt = new TreeMap<>();
        for (SimResize resize : cloud.resizes()) {
            resizedAt.merge(resize.instanceUuid(), resize.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        long unexplained = 0;
        for (Map<String, Object> row : onlyRuns) {
            Instant resize = resizedAt.get(row.get("instance_id").toString());
            Instant windowStart = ((java.sql.Timestamp) row.get("window_start")).toInstant();
            if (resize == null || !windowStart.isBefore(resize)) {
                unexplained++;
                out.println("soak: a fact of the runs that the backfill does not have, unexplained: " + row);
            }
        }
        for (Map<String, Object> row : onlyBackfill) {
            if (!resizedAt.containsKey(row.get("instance_id").toString())) {
                unexplained++;
                out.println("soak: a fact of the backfill that the runs do not have, unexplained: " + row);
            }
        }
        long open = jdbi.withHandle(handle -> handle.createQuery(SQL.locate(Soak.class, "openRuns"))
                .mapTo(Long.class).one());
        Status.Snapshot status = new Status(jdbi, clock).read(5, "run");
        long gaps = status.coverage().stream().filter(c -> c.cloud().equals(cloudKey))
                .mapToLong(Status.Coverage::gapWindows).sum();
        // the soak's cloud only: the reference copy was only backfilled, which monitoring rightly calls stale
        long stale = status.staleScopes(Duration.ofHours(2)).stream().filter(s -> s.cloud().equals(cloudKey)).count();
        double seconds = (System.nanoTime() - began) / 1e9;
        out.printf(Locale.ROOT, "soak: %,d runs over %d simulated days in %.0f s; faults %s; exits %s%n", runs,
                settings.days(), seconds, faults, exits);
        out.printf(Locale.ROOT, "soak: %,d facts; %,d only in the runs, %,d only in the clean backfill, %,d of them "
                + "unexplained (the rest: windows before a resize, which Nova no longer reports); %,d ledger rows still "
                + "running; %,d gap windows; %d stale scopes%s%n", total, onlyRuns.size(), onlyBackfill.size(), unexplained,
                open, gaps, stale, kills ? "" : " (no run killed: no right to create roles)");
        out.flush();
        if (unexplained > 0 || open > 0 || gaps > 0 || stale > 0 || total == 0) {
            throw new OsMetricsException(ExitCode.RECONCILIATION, "soak: the month does not check out"
                    + " (see the lines above)");
        }
        return String.format(Locale.ROOT, "%,d facts = clean backfill (+%,d before resizes), %d killed, 0 open rows,"
                + " 0 gaps, 0 stale", total - onlyRuns.size(), onlyRuns.size(), faults.getOrDefault(Fault.KILLED, 0));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

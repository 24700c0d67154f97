package org.osmetrics.cli;

import org.osmetrics.Phrases;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osmetrics.OsMetricsException;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimOptions;
import org.osmetrics.sim.SimServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code os-metrics sim}: serves the simulated OpenStack (Keystone v3 + Nova usage, real HTTP on
 * 127.0.0.1) with a generated cloud until stopped, and prints the openrc lines to reach it, so that every
 * other command can be tried without a cloud.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a simulated OpenStack (Keystone v3 and Nova's usage API on 127.0.0.1) with a"
                + " generated cloud until Ctrl-C, and print the OS_* variables that reach it.")
final class SimCommand implements Runnable {

    @Option(names = "--projects", defaultValue = "5", description = "Projects of the generated cloud (default: ${DEFAULT-VALUE}).")
    int projects;

    @Option(names = "--servers", defaultValue = "300", description = "Servers of the generated cloud (default: ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--days", defaultValue = "7",
            description = "Days of history before today that the servers' lifetimes span (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated cloud (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-microversion", defaultValue = "2.96",
            description = "Highest compute microversion served; 2.1 simulates a cloud without paging (default: ${DEFAULT-VALUE}).")
    String maxMicroversion;

    @Option(names = "--max-limit", defaultValue = "1000",
            description = "Nova's [api] max_limit: the page size cap, and the silent cut below 2.40 (default: ${DEFAULT-VALUE}).")
    int maxLimit;

    @Option(names = "--for", paramLabel = "DURATION", converter = TimeArguments.DurationConverter.class,
            description = "Stop by itself after this long (e.g. 10m); default: until Ctrl-C.")
    Duration lifetime;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (projects < 1 || servers < 1 || days < 1 || maxLimit < 1) {
            throw OsMetricsException.usage("--projects, --servers, --days and --max-limit must be at least 1");
        }
        Clock clock = Clock.systemUTC();
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        SimCloud cloud = SimCloud.generate(seed, projects, servers, today.minus(Duration.ofDays(days)),
                today.plus(Duration.ofDays(1)));
        SimOptions options;
        try {
            options = SimOptions.defaults().withMaxMicroversion(maxMicroversion).withMaxLimit(maxLimit);
        } catch (IllegalArgumentException e) {
            throw OsMetricsException.usage("--max-microversion: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (SimServer sim = SimServer.start(cloud, clock, options)) {
            Thread hook = new Thread(stopped::countDown, "sim-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("# simulated OpenStack: %d projects, %d servers, compute microversions 2.1..%s, max_limit %d%n",
                    projects, servers, maxMicroversion, maxLimit);
            out.println("# these are the simulator's fixed test credentials; paste into another shell:");
            for (Map.Entry<String, String> variable : SimCredentials.adminOpenrc(sim.authUrl()).entrySet()) {
                out.println("export " + variable.getKey() + "=" + variable.getValue());
            }
            out.println(lifetime == null ? "# serving until Ctrl-C" : "# serving for " + Phrases.duration(lifetime));
            out.flush();
            awaitStop(stopped);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook has run, nothing to remove
            }
        }
    }

    private void awaitStop(CountDownLatch stopped) {
        try {
            if (lifetime == null) {
                stopped.await();
            } else {
                stopped.await(lifetime.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

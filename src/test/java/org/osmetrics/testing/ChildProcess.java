package org.osmetrics.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.osmetrics.cli.Main;

/**
 * {@code os-metrics} as a real child process ({@code java -cp <test classpath> org.osmetrics.cli.Main ...}),
 * for tests that kill it or signal it. Secrets travel in the environment only (the inherited {@code OS_*}
 * variables are dropped first), never as arguments; stdout and stderr go together to a log file. Not
 * thread-safe; {@link #close()} kills the process if it is still running.
 *
 * <pre>{@code
 * try (ChildProcess child = ChildProcess.start(env, logFile, "run", "--all-projects")) {
 *     child.awaitUntil(() -> sim.usageRequests().size() >= 3, Duration.ofSeconds(30));
 *     child.kill();                       // SIGKILL
 *     int code = child.waitFor(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class ChildProcess implements AutoCloseable {
    /** Small heap, quick start: these processes live a few seconds. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code os-metrics args...} with exactly these {@code OS_*}/{@code OS_METRICS_*} variables. */
    public static ChildProcess start(Map<String, String> environment, Path log, String... args) {
        return start(List.of(), environment, log, args);
    }

    /** As {@link #start(Map, Path, String...)}, with this umask (e.g. {@code 022}) set by a shell first. */
    public static ChildProcess startWithUmask(String umask, Map<String, String> environment, Path log, String... args) {
        return start(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"), environment, log, args);
    }

    private static ChildProcess start(List<String> prefix, Map<String, String> environment, Path log, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".").getAbsoluteFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().putAll(environment);
        try {
            return new ChildProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command.subList(0, prefix.size() + 1)), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds (true) or the process ends or the
     * time is up (false).
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            sleep(5);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook runs, nothing is rolled back by the JVM. */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGINT, as Ctrl-C in a terminal sends it. The test is skipped, saying why, when this JVM was started with
     * SIGINT ignored (a background job of a shell without job control): its children inherit that, so no child
     * could receive the signal and the test would prove nothing.
     */
    public void interrupt() {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "this test JVM was started with SIGINT ignored"
                + " (a background job of a non-interactive shell), and its child processes inherit that: run the"
                + " tests from a terminal or a job-controlled shell to prove Ctrl-C");
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -INT " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the end and returns the exit code; fails the test if it takes longer than {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("os-metrics (pid " + process.pid() + ") did not end within " + timeout
                        + "; its output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for pid " + process.pid(), e);
        }
    }

    /** Everything the process printed so far (stdout and stderr). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command lines of the process's living descendants (what {@code ps} shows of what it started). */
    public List<String> descendantCommandLines() {
        return process.descendants().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> !line.isEmpty()).toList();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether SIGINT is ignored in this process (Linux's /proc; elsewhere assumed not). */
    static boolean sigintIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                    return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}

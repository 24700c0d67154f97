package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * The crontab lines of README.md, read from the README itself (so the two cannot drift), run as written
 * (in-process, absolute paths moved under a temporary folder) against the simulated OpenStack: each one
 * succeeds, and the {@code --quiet} ones print nothing, so cron mails nothing while all is well.
 */
class ReadmeCrontabTest {
    /** An os-metrics invocation: through the launcher or {@code java ... -jar ...os-metrics.jar}. */
    private static final Pattern INVOCATION = Pattern.compile(
            "(?:^|\\s)(?:\\S*bin/os-metrics|java(?:\\s+-\\S+)*\\s+-jar\\s+\\S*os-metrics\\.jar)\\s+(.*)");
    private static final Pattern CRON_LINE = Pattern.compile("^(?:@\\w+|(?:\\S+\\s+){5})(.+)$");

    @TempDir
    Path root;

    /** The lines of the README's crontab blocks, in order. */
    static List<String> readmeCrontabLines() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        boolean crontab = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                crontab = false;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (line.startsWith("# crontab")) {
                crontab = true;
                continue;
            }
            if (crontab) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The os-metrics commands of crontab lines (comments, blank lines and variable settings skipped). */
    static List<List<String>> commands(List<String> lines) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#") || line.matches("[A-Z_]+=.*")) {
                continue;
            }
            Matcher cron = CRON_LINE.matcher(line);
            assertThat(cron.matches()).as("a crontab line: " + line).isTrue();
            for (String segment : cron.group(1).split("&&|\\|\\||;|\\|")) {
                Matcher invocation = INVOCATION.matcher(segment.trim());
                if (invocation.find()) {
                    commands.add(arguments(invocation.group(1)));
                }
            }
        }
        return commands;
    }

    /** Shell words up to the first redirection (no quoting is used in the crontab lines). */
    private static List<String> arguments(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.startsWith(">") || word.startsWith("2>") || word.startsWith("<")) {
                break;
            }
            words.add(word);
        }
        return words;
    }

    @Test
    void theReadmesCrontabCommandsRunAsWrittenAndTheQuietOnesPrintNothing() throws IOException {
        List<String> lines = readmeCrontabLines();
        assertThat(lines).as("no log file that grows forever").noneMatch(line -> line.contains(">>"));
        runAsWritten(commands(lines));
    }

    @Test
    void theExampleCrontabRunsAsWrittenAndPrintsNothingWhileAllIsWell() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("examples", "crontab"));
        assertThat(lines).as("no log file that grows forever").noneMatch(line -> line.contains(">>"));
        List<List<String>> commands = commands(lines);
        assertThat(commands).filteredOn(c -> c.get(0).equals("run")).isNotEmpty()
                .allSatisfy(c -> assertThat(c).contains("--quiet"));
        runAsWritten(commands);
    }

    @Test
    void theSystemdUnitsRunTheirCommandsAsWritten() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        try (var units = Files.list(Path.of("examples", "systemd"))) {
            for (Path unit : units.filter(u -> u.toString().endsWith(".service")).sorted().toList()) {
                for (String line : Files.readAllLines(unit)) {
                    if (line.startsWith("ExecStart=")) {
                        Matcher invocation = INVOCATION.matcher(line.substring("ExecStart=".length()));
                        assertThat(invocation.find()).as(unit + ": " + line).isTrue();
                        commands.add(arguments(invocation.group(1)));
                    }
                }
            }
        }
        assertThat(commands).as("the run and the status unit").hasSize(2);
        runAsWritten(commands);
    }

    private void runAsWritten(List<List<String>> commands) {
        assertThat(commands).as("os-metrics commands in the crontab").isNotEmpty();
        assertThat(commands.get(0)).as("the cron job comes first: status afterwards finds it").startsWith("run");
        assertThat(commands).anySatisfy(c -> assertThat(c).contains("--quiet"));

        Instant now = Instant.now();
        try (TestDatabase test = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(5, 2, 10, now.minus(Duration.ofDays(3)),
                     now.plus(Duration.ofDays(1))), Clock.systemUTC())) {
            Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
            env.put("OS_METRICS_DB_URL", test.jdbcUrl());
            for (List<String> command : commands) {
                List<String> args = command.stream().map(this::underRoot).toList();
                CommandRun result = CommandRun.of(env, args.toArray(String[]::new));

                assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result.err()).isZero();
                if (command.contains("--quiet")) {
                    assertThat(result.out() + result.err()).as(String.join(" ", command)).isEmpty();
                }
            }
        }
    }

    /** An absolute path of the README (/var/lib/...) moved under the test's folder, its parent created. */
    private String underRoot(String word) {
        if (!word.startsWith("/")) {
            return word;
        }
        Path path = root.resolve(word.substring(1));
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return path.toString();
    }
}

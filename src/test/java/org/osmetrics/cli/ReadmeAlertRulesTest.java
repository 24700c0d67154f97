package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.PrometheusText;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * The Prometheus alerting rules of README.md ("Monitoring example"), read from the README itself, evaluated on
 * the metrics file that {@code status --metrics-file} writes (parsed strictly as the text exposition format)
 * after real runs against the simulator: they fire when the cron job never succeeds, when a cloud was only
 * backfilled, when windows are missing, and stay silent while all is well.
 *
 * <p>The README's expressions use this subset of PromQL, which {@link Rule} evaluates exactly as Prometheus
 * does for instant vectors: {@code time() - METRIC > N [* N ...]} and {@code METRIC > N [* N ...]} (a
 * comparison without {@code bool} keeps the series for which it holds; {@code time()} is the evaluation time in
 * seconds). Any other expression in the README fails the test, so README and test cannot drift.
 */
class ReadmeAlertRulesTest {
    private static final Pattern EXPRESSION = Pattern.compile(
            "(time\\(\\)\\s*-\\s*)?([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*>\\s*([0-9.]+(?:\\s*\\*\\s*[0-9.]+)*)");

    @TempDir
    Path folder;

    /** One alerting rule: its name and expression. */
    record Rule(String alert, String expr) {

        /** The label sets of the series for which the rule fires at {@code now}. */
        Set<Map<String, String>> firing(PrometheusText.Exposition metrics, Instant now) {
            Matcher m = EXPRESSION.matcher(expr.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("README expression outside the subset this test evaluates: " + expr);
            }
            double threshold = 1;
            for (String factor : m.group(3).split("\\*")) {
                threshold *= Double.parseDouble(factor.strip());
            }
            double time = now.toEpochMilli() / 1000.0;
            Set<Map<String, String>> firing = new java.util.LinkedHashSet<>();
            for (PrometheusText.Sample sample : metrics.series(m.group(2))) {
                double value = m.group(1) != null ? time - sample.value() : sample.value();
                if (value > threshold) {
                    firing.add(new TreeMap<>(sample.labels()));
                }
            }
            return firing;
        }
    }

    /** The rules of the README's Prometheus alerting rules block: each {@code - alert:} and its {@code expr:}. */
    static List<Rule> readmeRules() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        List<Rule> rules = new ArrayList<>();
        String alert = null;
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("- alert:")) {
                alert = text.substring("- alert:".length()).strip();
            } else if (text.startsWith("expr:") && alert != null) {
                rules.add(new Rule(alert, text.substring("expr:".length()).strip()));
                alert = null;
            }
        }
        return rules;
    }

    /** Which README alerts fire on the metrics file, by alert name, each with the clouds (or "" unlabeled) it names. */
    private static Map<String, Set<String>> firing(Path metricsFile, Instant now) throws IOException {
        PrometheusText.Exposition metrics = PrometheusText.parse(Files.readString(metricsFile));
        Map<String, Set<String>> firing = new LinkedHashMap<>();
        for (Rule rule : readmeRules()) {
            Set<String> clouds = new TreeSet<>();
            rule.firing(metrics, now).forEach(labels -> clouds.add(labels.getOrDefault("cloud", "")));
            if (!clouds.isEmpty()) {
                firing.put(rule.alert(), clouds);
            }
        }
        return firing;
    }

    private Path status(Map<String, String> env) {
        Path file = folder.resolve("textfile-" + System.nanoTime() + ".prom");
        CommandRun status = CommandRun.of(env, "status", "--quiet", "--metrics-file", file.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        return file;
    }

    private static Map<String, String> env(SimServer sim, TestDatabase db) {
        Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", db.jdbcUrl());
        return env;
    }

    private static SimServer sim(int seed) {
        Instant now = Instant.now();
        return SimServer.start(SimCloud.generate(seed, 2, 12, now.minus(Duration.ofDays(6)), now), Clock.systemUTC());
    }

    private static String cloudKey(SimServer sim) {
        return java.net.URI.create(sim.authUrl()).getRawAuthority() + "/RegionOne";
    }

    @Test
    void theReadmeHasTheRulesThisTestEvaluates() throws IOException {
        assertThat(readmeRules()).extracting(Rule::alert)
                .contains("OsMetricsStale", "OsMetricsGaps", "OsMetricsMismatch");
        assertThat(readmeRules()).allSatisfy(rule -> assertThat(rule.expr()).matches(EXPRESSION));
    }

    @Test
    void runsThatAlwaysFailMakeTheStaleAlertFire() throws IOException {
        try (TestDatabase db = TestDatabases.fresh(); SimServer sim = sim(21)) {
            Map<String, String> env = env(sim, db);
            assertThat(firing(status(env), Instant.now())).as("no run reached the database yet")
                    .containsEntry("OsMetricsStale", Set.of(""));

            for (int i = 0; i < 2; i++) {
                sim.faults().failNext(403, 1);   // Nova refuses the usage call: the run fails after it started
                CommandRun run = CommandRun.of(env, "run", "--all-projects", "--quiet");
                assertThat(run.exitCode()).as(run.err()).isNotZero();
            }
            Path metrics = status(env);

            assertThat(firing(metrics, Instant.now())).containsEntry("OsMetricsStale", Set.of(cloudKey(sim)));
            PrometheusText.Exposition parsed = PrometheusText.parse(Files.readString(metrics));
            assertThat(parsed.series("os_metrics_last_attempt_timestamp_seconds")).singleElement()
                    .satisfies(s -> assertThat(s.value()).isGreaterThan(Instant.now().minusSeconds(600).getEpochSecond()));
            assertThat(parsed.series("os_metrics_last_run_succeeded")).singleElement()
                    .satisfies(s -> assertThat(s.value()).isZero());
        }
    }

    @Test
    void healthyRunsFireNothing() throws IOException {
        try (TestDatabase db = TestDatabases.fresh(); SimServer sim = sim(22)) {
            Map<String, String> env = env(sim, db);
            for (int i = 0; i < 2; i++) {
                CommandRun run = CommandRun.of(env, "run", "--all-projects", "--quiet");
                assertThat(run.exitCode()).as(run.err()).isZero();
            }

            assertThat(firing(status(env), Instant.now())).isEmpty();
            assertThat(firing(status(env), Instant.now().plus(Duration.ofHours(3))))
                    .as("three hours later without a run").containsOnlyKeys("OsMetricsStale");
        }
    }

    @Test
    void aCloudThatWasOnlyBackfilledIsStaleAndAGapFiresTheGapsAlert() throws IOException {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (TestDatabase db = TestDatabases.fresh(); SimServer sim = sim(23)) {
            Map<String, String> env = env(sim, db);
            for (List<Instant> range : List.of(List.of(today.minus(Duration.ofDays(5)), today.minus(Duration.ofDays(4))),
                    List.of(today.minus(Duration.ofDays(2)), today.minus(Duration.ofDays(1))))) {
                CommandRun backfill = CommandRun.of(env, "backfill", "--all-projects", "--from", range.get(0).toString(),
                        "--to", range.get(1).toString(), "--quiet");
                assertThat(backfill.exitCode()).as(backfill.err()).isZero();
            }

            Map<String, Set<String>> firing = firing(status(env), Instant.now());

            assertThat(firing).containsEntry("OsMetricsStale", Set.of(cloudKey(sim)))
                    .containsEntry("OsMetricsGaps", Set.of(cloudKey(sim)))
                    .doesNotContainKey("OsMetricsMismatch");
        }
    }

    @Test
    void theParserRefusesWhatPrometheusRefuses() {
        assertThat(PrometheusText.parse("# HELP a x\\\\y\\n\n# TYPE a gauge\na{b=\"q\\\"\\\\\\n\"} 1.5e3\n")
                .samples()).singleElement().satisfies(s -> {
                    assertThat(s.labels()).containsEntry("b", "q\"\\\n");
                    assertThat(s.value()).isEqualTo(1500.0);
                });
        for (String bad : List.of("a 1", "a 1\na 2\n", "a{b=\"1\",b=\"2\"} 1\n", "a{b=\"1} 1\n", "a one\n",
                "a{x=\"1\"} 1\nb 1\na{x=\"2\"} 2\n", "a 1\n# TYPE a gauge\n", "# TYPE a gauge\n# TYPE a gauge\n", "# TYPE a meter\n",
                "1a 1\n", "a{1b=\"x\"} 1\n")) {
            assertThatThrownBy(() -> PrometheusText.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

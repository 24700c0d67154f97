package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabaseExtension;

/**
 * {@code --cloud KEY} of export and status, in a database with two clouds (a {@code demo} and a {@code run}
 * against the simulator): without it an export keeps every cloud's rows and says so on stderr; with it only
 * that cloud's; an unknown key is exit 2 listing the known ones. {@code run --print-cloud-key} tells a script
 * the key to pass.
 */
class CloudOptionTest {
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.migrated();
    private static SimServer sim;
    private static Map<String, String> env;
    private static String simKey;
    private static String demoKey;

    @BeforeAll
    static void twoClouds() {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(31, 2, 12, now.minus(Duration.ofDays(4)), now), Clock.systemUTC());
        env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", db.jdbcUrl());
        CommandRun demo = CommandRun.of(Map.of(), "demo", "--db-url", db.jdbcUrl(), "--projects", "2", "--servers", "10",
                "--days", "2");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        CommandRun run = CommandRun.of(env, "run", "--all-projects", "--initial-lookback", "48h", "--print-cloud-key");
        assertThat(run.exitCode()).as(run.err()).isZero();
        simKey = run.out().lines().findFirst().orElseThrow();
        assertThat(run.out().lines().skip(1).findFirst()).as("the summary follows the key").hasValueSatisfying(
                line -> assertThat(line).startsWith("run: "));
        List<String> keys = db.jdbi().withHandle(h -> h.createQuery("SELECT cloud_key FROM metrics.cloud ORDER BY 1")
                .mapTo(String.class).list());
        assertThat(keys).hasSize(2).contains(simKey);
        demoKey = keys.stream().filter(k -> !k.equals(simKey)).findFirst().orElseThrow();
    }

    @AfterAll
    static void close() {
        sim.close();
    }

    private static CommandRun export(String... args) {
        List<String> command = new ArrayList<>(List.of("export"));
        command.addAll(List.of(args));
        return CommandRun.of(env, command.toArray(String[]::new));
    }

    private static List<String> cloudColumn(String csv) throws IOException {
        List<String> clouds = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv))) {
            clouds.add(record.get("cloud"));
        }
        return clouds;
    }

    @Test
    void theKeyPrintedByRunIsTheSimulatorsHostPortAndRegion() {
        assertThat(simKey).isEqualTo(java.net.URI.create(sim.authUrl()).getRawAuthority() + "/RegionOne");
        assertThat(demoKey).startsWith("demo-sim/");
    }

    @Test
    void withoutCloudAnExportKeepsEveryCloudAndSaysSoOnStderr() throws IOException {
        for (String report : List.of("server_usage", "project_usage_daily")) {
            CommandRun all = export("--report", report);

            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(cloudColumn(all.out())).as(report).contains(simKey, demoKey);
            List<String> notes = all.errLines().stream().filter(line -> line.contains("clouds in the database")).toList();
            assertThat(notes).containsExactly("export: 2 clouds in the database (" + String.join(", ",
                    List.of(simKey, demoKey).stream().sorted(String.CASE_INSENSITIVE_ORDER).toList())
                    + "): exporting all; --cloud KEY picks one");
        }
    }

    @Test
    void withCloudAnExportHasOnlyThatCloudsRowsAndNoNote() throws IOException {
        for (String report : List.of("server_usage", "project_usage_daily")) {
            CommandRun all = export("--report", report, "--quiet");
            for (String key : List.of(simKey, demoKey)) {
                CommandRun one = export("--report", report, "--cloud", key);

                assertThat(one.exitCode()).as(one.err()).isZero();
                assertThat(one.err()).doesNotContain("clouds in the database");
                assertThat(cloudColumn(one.out())).as(report + " " + key).isNotEmpty().containsOnly(key)
                        .hasSize((int) cloudColumn(all.out()).stream().filter(key::equals).count());
            }
        }
    }

    @Test
    void documentsOfOneCloudAreOneJsonDocumentPerProjectAndRange() throws IOException {
        CommandRun all = export("--report", "tenant_usage_document", "--format", "jsonl", "--quiet");
        CommandRun one = export("--report", "tenant_usage_document", "--format", "jsonl", "--cloud", simKey);

        assertThat(one.exitCode()).as(one.err()).isZero();
        List<String> lines = one.out().lines().toList();
        assertThat(lines).isNotEmpty().hasSizeLessThan((int) all.out().lines().count());
        for (String line : lines) {
            JsonNode document = new ObjectMapper().readTree(line);
            assertThat(document.has("tenant_id")).isTrue();
        }
    }

    @Test
    void anUnknownCloudIsAUsageErrorListingTheKnownOnes() {
        for (String command : List.of("export", "status")) {
            List<String> args = new ArrayList<>(List.of(command, "--cloud", "nowhere:5000/RegionOne"));
            if (command.equals("export")) {
                args.addAll(List.of("--report", "server_usage"));
            }
            CommandRun run = CommandRun.of(env, args.toArray(String[]::new));

            assertThat(run.exitCode()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).contains("unknown cloud 'nowhere:5000/RegionOne'")
                    .contains(simKey).contains(demoKey);
            assertThat(run.out()).as(command).isEmpty();
        }
    }

    @Test
    void statusWithCloudShowsOnlyThatCloud() {
        CommandRun status = CommandRun.of(env, "status", "--cloud", simKey);

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains(simKey).doesNotContain(demoKey);
        assertThat(CommandRun.of(env, "status").out()).contains(simKey).contains(demoKey);
    }
}

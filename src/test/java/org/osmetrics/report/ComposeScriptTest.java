package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ClassPathJar;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * The real compose.sh, run by bash as a child process against the simulated OpenStack (real HTTP) and a
 * real PostgreSQL: it writes the old script's files, and the JSON document has the old field names, in
 * order, and Nova's own figures for yesterday.
 */
class ComposeScriptTest {
    private static final List<String> DOCUMENT_FIELDS = List.of("tenant_id", "server_usages", "total_local_gb_usage",
            "total_vcpus_usage", "total_memory_mb_usage", "total_hours", "start", "stop");
    private static final List<String> SERVER_FIELDS = List.of("hours", "flavor", "instance_id", "name", "tenant_id",
            "memory_mb", "local_gb", "vcpus", "started_at", "ended_at", "state", "uptime");
    private static final DateTimeFormatter NOVA_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    private Path launcherJar() throws IOException {
        return ClassPathJar.create(dir.resolve("os-metrics-launcher.jar"));
    }

    private Result compose(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("compose.sh").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("OS_METRICS_OUTPUT_DIR", dir.resolve("output").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void composeWritesTheOldCsvAndJsonDocumentWithNovasFigures() throws Exception {
        Instant now = Instant.now();
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Instant yesterday = today.minus(Duration.ofDays(1));
        try (TestDatabase db = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(42, 3, 40, today.minus(Duration.ofDays(4)), now),
                     Clock.systemUTC())) {
            String project = sim.memberProjectId();
            String projectName = sim.cloud().project(project).orElseThrow().name();

            Result result = compose(Map.of("OS_METRICS_DB_URL", db.jdbcUrl(),
                            "OS_METRICS_JAR", launcherJar().toString(),
                            "OS_PASSWORD", SimCredentials.MEMBER_PASSWORD),
                    SimCredentials.MEMBER_USER, "-", "2.1", projectName, sim.authUrl());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).doesNotContain(SimCredentials.MEMBER_PASSWORD);
            JsonNode nova = novaUsage(sim, project, yesterday, today);
            Path json = dir.resolve("output/os_metrics_" + DateTimeFormatter.ofPattern("uuuuMMdd").withZone(ZoneOffset.UTC)
                    .format(now) + ".json");
            byte[] bytes = Files.readAllBytes(json);
            for (int i = 0; i < bytes.length - 1; i++) { // all but the line's end
                byte b = bytes[i];
                assertThat(b & 0xff).as("a byte of the document (json.dumps escapes all but printable ASCII)")
                        .isBetween(0x20, 0x7e);
            }
            assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(1);
            JsonNode document = new ObjectMapper().readTree(lines.get(0));
            assertThat(names(document.fieldNames())).containsExactlyElementsOf(DOCUMENT_FIELDS);
            assertThat(document.get("tenant_id").asText()).isEqualTo(project);
            for (String total : List.of("total_local_gb_usage", "total_vcpus_usage", "total_memory_mb_usage", "total_hours")) {
                assertThat(document.get(total).doubleValue()).as(total).isEqualTo(nova.get(total).doubleValue());
            }
            assertThat(document.get("start").asText()).isEqualTo(NOVA_TIME.format(yesterday));
            assertThat(document.get("stop").asText()).isEqualTo(NOVA_TIME.format(today));
            assertThat(serverHours(document)).isEqualTo(serverHours(nova)).isNotEmpty();
            for (JsonNode server : document.get("server_usages")) {
                assertThat(names(server.fieldNames())).containsExactlyElementsOf(SERVER_FIELDS);
            }

            List<String> csv = Files.readAllLines(dir.resolve("output/os_metrics.csv"), StandardCharsets.UTF_8);
            assertThat(csv.get(0)).startsWith("hours,flavor,instance_id,name,tenant_id,memory_mb,local_gb,vcpus,"
                    + "started_at,ended_at,state,uptime,");
            assertThat(csv).hasSize(1 + nova.get("server_usages").size());   // daily windows: one row per server
        }
    }

    @Test
    void composeBesideADemoInTheSameDatabaseWritesOnlyItsOwnCloudsDocumentAndRows() throws Exception {
        Instant now = Instant.now();
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        try (TestDatabase db = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(44, 2, 12, today.minus(Duration.ofDays(3)), now),
                     Clock.systemUTC())) {
            String project = sim.memberProjectId();
            String projectName = sim.cloud().project(project).orElseThrow().name();
            CommandRun demo = CommandRun.of(Map.of(), "demo", "--db-url", db.jdbcUrl(), "--projects", "2", "--servers",
                    "60", "--days", "2");   // with usage in its project-000 too, yesterday
            assertThat(CommandRun.of(Map.of(), "export", "--db-url", db.jdbcUrl(), "--report", "tenant_usage_document",
                    "--project", projectName, "--from", today.minus(Duration.ofDays(1)).toString(), "--to", today.toString(),
                    "--format", "jsonl", "--quiet").out().lines()).as("the demo's document of a project named alike").hasSize(1);
            assertThat(demo.exitCode()).as(demo.err()).isZero();

            Result result = compose(Map.of("OS_METRICS_DB_URL", db.jdbcUrl(),
                            "OS_METRICS_JAR", launcherJar().toString(),
                            "OS_PASSWORD", SimCredentials.MEMBER_PASSWORD),
                    SimCredentials.MEMBER_USER, "-", "2.1", projectName, sim.authUrl());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).as("the run's summary is still shown").containsPattern("(?m)^run: ")
                    .doesNotContain("clouds in the database");
            Path json = dir.resolve("output/os_metrics_" + DateTimeFormatter.ofPattern("uuuuMMdd").withZone(ZoneOffset.UTC)
                    .format(now) + ".json");
            List<String> lines = Files.readAllLines(json, StandardCharsets.UTF_8);
            assertThat(lines).as("one JSON document (the demo has a project of the same name)").hasSize(1);
            assertThat(new ObjectMapper().readTree(String.join("\n", lines)).get("tenant_id").asText()).isEqualTo(project);
            List<String> csv = Files.readAllLines(dir.resolve("output/os_metrics.csv"), StandardCharsets.UTF_8);
            assertThat(csv).hasSize(1 + novaUsage(sim, project, today.minus(Duration.ofDays(1)), today)
                    .get("server_usages").size());
            assertThat(csv.subList(1, csv.size())).noneMatch(row -> row.contains("demo-sim/"));
        }
    }

    @Test
    void aDatabaseOnAnotherGridIsReportedWithTheVariableComposeReads() throws Exception {
        Instant now = Instant.now();
        try (TestDatabase db = TestDatabases.fresh();
             SimServer sim = SimServer.start(SimCloud.generate(43, 2, 10, now.minus(Duration.ofDays(3)), now),
                     Clock.systemUTC())) {
            String projectName = sim.cloud().project(sim.memberProjectId()).orElseThrow().name();
            Map<String, String> env = Map.of("OS_METRICS_DB_URL", db.jdbcUrl(), "OS_METRICS_JAR", launcherJar().toString(),
                    "OS_PASSWORD", SimCredentials.MEMBER_PASSWORD);
            Map<String, String> hourly = new java.util.HashMap<>(env);
            hourly.put("OS_METRICS_WINDOW", "1h");
            String[] arguments = {SimCredentials.MEMBER_USER, "-", "2.1", projectName, sim.authUrl()};
            assertThat(compose(hourly, arguments).exitCode()).isZero();

            Result daily = compose(env, arguments);

            assertThat(daily.exitCode()).isEqualTo(2);
            assertThat(daily.output()).contains("OS_METRICS_WINDOW=1h").doesNotContain("--window");
        }
    }

    @Test
    void wrongArgumentCountPrintsTheUsageAndExits2() throws Exception {
        Result result = compose(Map.of(), "user", "-", "2.1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).startsWith("usage: compose.sh USERNAME PASSWORD NOVACLIENT_VERSION OPENSTACK_PROJECT AUTH_URL");
    }

    @Test
    void dashPasswordWithoutOsPasswordIsRefused() throws Exception {
        Result result = compose(Map.of(), "user", "-", "2.1", "project", "https://keystone.example:5000");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("OS_PASSWORD is not set");
    }

    @Test
    void malformedNovaclientVersionIsRefused() throws Exception {
        Result result = compose(Map.of("OS_PASSWORD", "x"), "user", "-", "latest", "project", "https://keystone.example:5000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("NOVACLIENT_VERSION 'latest'");
    }

    /** Nova's answer (the simulator's), over HTTP, for one project and range, as the old script saw it. */
    private static JsonNode novaUsage(SimServer sim, String project, Instant start, Instant end) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \""
                + SimCredentials.MEMBER_USER + "\", \"domain\": {\"id\": \"default\"}, \"password\": \""
                + SimCredentials.MEMBER_PASSWORD + "\"}}}, \"scope\": {\"project\": {\"id\": \"" + project + "\"}}}}";
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(sim.authUrl() + "/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(auth)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(201);
        String url = sim.computeUrl() + "/os-simple-tenant-usage/" + project + "?start="
                + DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC).format(start) + "&end="
                + DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC).format(end);
        HttpResponse<String> usage = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("X-Auth-Token", token.headers().firstValue("X-Subject-Token").orElseThrow()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
        return new ObjectMapper().readTree(usage.body()).get("tenant_usage");
    }

    private static Map<String, Double> serverHours(JsonNode tenantUsage) {
        Map<String, Double> hours = new TreeMap<>();
        for (JsonNode server : tenantUsage.get("server_usages")) {
            hours.merge(server.get("instance_id").asText(), server.get("hours").doubleValue(), Double::sum);
        }
        return hours;
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}

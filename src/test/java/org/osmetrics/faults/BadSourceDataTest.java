package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.TestDatabases;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/**
 * Values out of range in Nova's answers, served by the simulator over HTTP to {@code os-metrics run}: each is
 * a recorded, reported anomaly (exit 7 with {@code --strict}) or a clear error (exit 4 and nothing loaded),
 * never a stack trace and never a wrong sum loaded silently.
 */
class BadSourceDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] RUN = {"run", "--all-projects", "--window", "1d", "--initial-lookback", "1d"};

    private static SimServer sim;

    private record Result(int code, String out, String err, TestDatabase db) {
        long count(String sql) {
            return Rows.count(db.jdbi(), sql);
        }
    }

    @BeforeAll
    static void start() {
        Instant now = Instant.now();
        sim = SimServer.start(SimCloud.generate(41, 2, 30, now.minus(Duration.ofDays(3)), now.minus(Duration.ofHours(1))),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** Runs on a fresh database with the first usage answer (yesterday) changed by {@code edit}. */
    private static Result runWithFirstAnswer(Consumer<ObjectNode> edit, String... extra) {
        return runWithFirstBody(json(edit), extra);
    }

    private static java.util.function.UnaryOperator<byte[]> json(Consumer<ObjectNode> edit) {
        return bytes -> {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(bytes);
                edit.accept(root);
                return JSON.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Result runWithFirstBody(java.util.function.UnaryOperator<byte[]> rewrite, String... extra) {
        return runWithBodies(rewrite, 1, extra);
    }

    /** Runs on a fresh database with the first {@code answers} usage answers passed through {@code rewrite}. */
    private static Result runWithBodies(java.util.function.UnaryOperator<byte[]> rewrite, int answers, String... extra) {
        TestDatabase db = TestDatabases.fresh();
        sim.faults().clear();
        for (int i = 0; i < answers; i++) {
            sim.faults().rewriteNextBody(rewrite);
        }
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(RUN), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(FaultEnvironment.of(sim, db), new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(err.toString()).as("one clear line, no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return new Result(code, out.toString(), err.toString(), db);
    }

    private static ObjectNode firstServer(ObjectNode root) {
        return (ObjectNode) root.path("tenant_usages").path(0).path("server_usages").path(0);
    }

    @Test
    void negativeHoursAreAnAnomalyAndTheFactsKeepTheHoursOfTheTimestamps() {
        String[] instance = new String[1];
        try (TestDatabase reference = runWithFirstAnswer(root -> { }).db();
             TestDatabase db = runWithFirstAnswer(root -> {
                 instance[0] = firstServer(root).path("instance_id").asText();
                 firstServer(root).put("hours", -5.0);
             }).db()) {
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.anomaly WHERE kind = 'hours_mismatch'"
                    + " AND instance_id = '" + instance[0] + "'")).isOne();
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.usage_fact WHERE hours < 0")).isZero();
            assertThat(Rows.closedFacts(db.jdbi(), Instant.now())).as("no wrong sum: facts come from the timestamps")
                    .containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), Instant.now()));
        }
    }

    @Test
    void strictRunExitsSevenWhenNovasFiguresDoNotReconcileAndStillLoadsAndFlags() {
        Result result = runWithFirstAnswer(root -> firstServer(root).put("hours", -5.0), "--strict");
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isEqualTo(7);
            assertThat(result.err()).contains("1 anomaly: the data does not reconcile with Nova's figures");
            assertThat(result.count("SELECT count(*) FROM metrics.run WHERE status = 'reconciliation_failed'")).isOne();
            assertThat(result.count("SELECT count(*) FROM metrics.anomaly WHERE kind = 'hours_mismatch'")).isOne();
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact")).isPositive();
        }
    }

    @Test
    void zeroVcpusGiveZeroVcpuHoursAndATotalsMismatch() {
        Result result = runWithFirstAnswer(root -> firstServer(root).put("vcpus", 0));
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).contains("warning:").contains("1 anomaly:");
            assertThat(result.count("SELECT count(*) FROM metrics.anomaly WHERE kind = 'totals_mismatch'")).isPositive();
        }
    }

    @Test
    void aServerEndingBeforeItStartsIsAnAnomalyAndNotStored() {
        String[] instance = new String[1];
        Result result = runWithFirstAnswer(root -> {
            ObjectNode server = firstServer(root);
            instance[0] = server.path("instance_id").asText();
            LocalDateTime start = LocalDateTime.parse(root.path("tenant_usages").path(0).path("start").asText());
            DateTimeFormatter nova = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
            server.put("started_at", nova.format(start.plusHours(2)));
            server.put("ended_at", nova.format(start.plusHours(1)));
        });
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.count("SELECT count(*) FROM metrics.anomaly WHERE kind = 'negative_interval' AND instance_id = '"
                    + instance[0] + "'")).isOne();
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact WHERE instance_id = '" + instance[0]
                    + "' AND window_end <= now() - interval '1 day'")).isZero();
        }
    }

    @Test
    void aServerListedTwiceInOneAnswerIsAClearErrorAndNothingIsLoaded() {
        Result result = runWithFirstAnswer(root -> {
            var servers = (com.fasterxml.jackson.databind.node.ArrayNode) root.path("tenant_usages").path(0)
                    .path("server_usages");
            servers.add(servers.get(0).deepCopy());
        });
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).isEqualTo(4);
            assertThat(result.err()).contains("came twice");
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact")).isZero();
            assertThat(result.count("SELECT count(*) FROM metrics.run WHERE status = 'failed'")).isOne();
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndKeptInTheRawPage() {
        try (TestDatabase reference = runWithFirstAnswer(root -> { }).db();
             TestDatabase db = runWithFirstAnswer(root -> {
                 root.put("surprise", "new in 2.99");
                 firstServer(root).putObject("extra").put("gpu_hours", 3.5);
             }).db()) {
            assertThat(Rows.closedFacts(db.jdbi(), Instant.now()))
                    .containsExactlyElementsOf(Rows.closedFacts(reference.jdbi(), Instant.now()));
            assertThat(Rows.count(db.jdbi(), "SELECT count(*) FROM metrics.raw_page WHERE body::text LIKE '%gpu_hours%'")).isOne();
        }
    }

    @Test
    void namesOfTenThousandCharactersAndSqlRoundTripAsData() {
        String sql = "x'); DROP TABLE metrics.usage_fact; --";
        String longName = "n".repeat(10_000);
        // both answers (yesterday, today) carry the names: the later one would otherwise rename the servers back
        Consumer<ObjectNode> rename = root -> {
            firstServer(root).put("name", sql);
            ((ObjectNode) root.path("tenant_usages").path(0).path("server_usages").path(1)).put("name", longName);
        };
        Result result = runWithBodies(json(rename), 2);
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.err()).isZero();
            List<String> names = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM metrics.server WHERE name = :a"
                    + " OR name = :b ORDER BY length(name)").bind("a", sql).bind("b", longName).mapTo(String.class).list());
            assertThat(names).containsExactly(sql, longName);
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact")).isPositive();
        }
    }

    @Test
    void bytesThatAreNotUtf8AreAClearErrorAndNothingIsLoaded() {
        Result result = runWithFirstBody(bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int name = text.indexOf("\"name\": \"") + 9;
            byte[] head = text.substring(0, name).getBytes(StandardCharsets.UTF_8);
            byte[] tail = text.substring(name).getBytes(StandardCharsets.UTF_8);
            byte[] odd = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
            byte[] all = new byte[head.length + odd.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(odd, 0, all, head.length, odd.length);
            System.arraycopy(tail, 0, all, head.length + odd.length, tail.length);
            return all;
        });
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).as(result.out() + result.err()).isEqualTo(4);
            assertThat(result.err()).contains("not valid UTF-8");
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact")).isZero();
        }
    }

    @Test
    void hoursThatAreNotANumberAreAClearErrorNamingTheField() {
        Result result = runWithFirstAnswer(root -> firstServer(root).put("hours", "lots"));
        try (TestDatabase db = result.db()) {
            assertThat(result.code()).isEqualTo(4);
            assertThat(result.err()).contains("field 'hours' is not a number");
            assertThat(result.count("SELECT count(*) FROM metrics.usage_fact")).isZero();
        }
    }
}

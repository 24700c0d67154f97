package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator reproduces real days archived by the old script: a cloud rebuilt from a file's servers,
 * queried for the same window at 2.1 like the script did, answers the same servers, the same
 * {@code hours} and the same four totals, bit for bit (and the same bytes, {@code uptime} aside).
 */
class ArchivedDayTest {
    private static final Path ARCHIVE = Path.of("..", "shared", "fixtures", "nova", "original-script-output");
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static Stream<String> archivedDays() throws IOException {
        if (!Files.isDirectory(ARCHIVE)) {
            return Stream.of("absent");
        }
        try (Stream<Path> files = Files.list(ARCHIVE)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> f.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("archivedDays")
    void simulatorAnswersTheArchivedDayBitForBit(String fileName) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(ARCHIVE), "../shared/fixtures is absent (not in a user's clone)");
        Path file = ARCHIVE.resolve(fileName);
        Assumptions.assumeTrue(Files.size(file) > 0, fileName + " is a 0-byte file: a failed run of the old script");
        JsonNode archived = EXACT.readTree(file.toFile());
        String tenant = archived.get("tenant_id").asText();
        SimCloud.Builder cloud = SimCloud.builder().project(tenant, "archived");
        Instant callTime = null;
        for (JsonNode server : archived.get("server_usages")) {
            Instant started = utc(server.get("started_at").asText());
            Instant ended = server.get("ended_at").isNull() ? null : utc(server.get("ended_at").asText());
            if (ended == null && callTime == null) {
                callTime = started.plusSeconds(server.get("uptime").asLong());
            }
            cloud.instance(new SimInstance(server.get("instance_id").asText(), server.get("name").asText(), tenant,
                    new SimFlavor(server.get("flavor").asText(), server.get("vcpus").asInt(),
                            server.get("memory_mb").asInt(), server.get("local_gb").asInt(), 0),
                    started, ended, server.get("state").asText()));
        }
        Instant stop = utc(archived.get("stop").asText());
        try (SimServer sim = SimServer.start(cloud.build(), new SimClock(callTime == null ? stop : callTime))) {
            SimClient client = new SimClient(sim);
            String body = client.get(sim.computeUrl() + "/os-simple-tenant-usage?detailed=1&start="
                    + archived.get("start").asText() + "&end=" + archived.get("stop").asText(), client.adminToken(), null)
                    .body();
            JsonNode answered = EXACT.readTree(body).get("tenant_usages").get(0);
            List<String> archivedHours = new ArrayList<>();
            List<String> answeredHours = new ArrayList<>();
            archived.get("server_usages").forEach(s -> archivedHours.add(s.get("hours").decimalValue().toString()));
            answered.get("server_usages").forEach(s -> answeredHours.add(s.get("hours").decimalValue().toString()));
            assertThat(answeredHours).isEqualTo(archivedHours);
            for (String total : new String[] {"total_hours", "total_vcpus_usage", "total_memory_mb_usage",
                    "total_local_gb_usage"}) {
                assertThat(Double.doubleToLongBits(answered.get(total).doubleValue())).as(total)
                        .isEqualTo(Double.doubleToLongBits(archived.get(total).doubleValue()));
                assertThat(answered.get(total).decimalValue()).as(total).isEqualTo(archived.get(total).decimalValue());
            }
            assertThat(withoutUptime(answered)).isEqualTo(withoutUptime(archived));
            assertThat(fieldNames(answered)).isEqualTo(fieldNames(archived));
        }
    }

    private static Instant utc(String novaTime) {
        return NovaTime.parse(novaTime).orElseThrow();
    }

    private static JsonNode withoutUptime(JsonNode tenant) {
        ObjectNode copy = tenant.deepCopy();
        copy.get("server_usages").forEach(server -> ((ObjectNode) server).remove("uptime"));
        return copy;
    }

    private static List<String> fieldNames(JsonNode tenant) {
        List<String> names = new ArrayList<>();
        tenant.fieldNames().forEachRemaining(names::add);
        Iterator<String> server = tenant.get("server_usages").get(0).fieldNames();
        server.forEachRemaining(name -> names.add("server." + name));
        return names;
    }
}

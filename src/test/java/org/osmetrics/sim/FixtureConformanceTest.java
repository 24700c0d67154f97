package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For each public sample of Nova and Keystone in {@code ../shared/fixtures/nova}, the simulator's answer to
 * the equivalent request has the same JSON structure: the same keys at every level, the same value types
 * (null is allowed on either side, for nullable fields), and hrefs shaped alike (absolute, same path end,
 * same query parameter names in the same order).
 */
class FixtureConformanceTest {
    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "nova");
    private static final String TENANT = "6f70656e737461636b20342065766572";
    private static final String OTHER_TENANT = "0000000e737461636b20342065000000";
    private static final String FIRST = "1f1deceb-17b5-4c04-84c7-e0d4499c8f00";
    private static final String WINDOW = "start=2018-10-09+11%3A29%3A04.166194&end=2018-10-09T12:29:04.166194";
    private static final SimFlavor TINY = new SimFlavor("m1.tiny", 1, 512, 1, 0);

    private static SimServer sim;
    private static SimServer simWithoutCompute;
    private static SimClient client;

    @BeforeAll
    static void start() {
        Instant launched = Instant.parse("2018-10-09T11:29:04.166194Z");
        SimCloud cloud = SimCloud.builder()
                .project(TENANT, "openstack")
                .project(OTHER_TENANT, "other")
                .instance(new SimInstance(FIRST, "instance-1", TENANT, TINY, launched, null, "active"))
                .instance(new SimInstance("1f1deceb-17b5-4c04-84c7-e0d4499c8f03", "instance-2", TENANT, TINY, launched,
                        null, "active"))
                .instance(new SimInstance("1f1deceb-17b5-4c04-84c7-e0d4499c8f06", "instance-3", OTHER_TENANT, TINY,
                        launched, null, "active"))
                .instance(new SimInstance("1f1deceb-17b5-4c04-84c7-e0d4499c8f09", "instance-4", TENANT, TINY, launched,
                        null, "active"))
                .build();
        SimClock clock = new SimClock(Instant.parse("2018-10-09T12:29:04.166194Z"));
        sim = SimServer.start(cloud, clock);
        simWithoutCompute = SimServer.start(cloud, clock, SimOptions.defaults().withoutComputeInCatalog());
        client = new SimClient(sim);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
            simWithoutCompute.close();
        }
    }

    static Stream<Arguments> samples() {
        String usage = "/os-simple-tenant-usage";
        String marker = "&marker=" + FIRST;
        return Stream.of(
                nova("api_samples/os-simple-tenant-usage/simple-tenant-usage-get.json", usage + "?" + WINDOW, null),
                nova("api_samples/os-simple-tenant-usage/simple-tenant-usage-get-detail.json",
                        usage + "?detailed=1&" + WINDOW, null),
                nova("api_samples/os-simple-tenant-usage/simple-tenant-usage-get-specific.json",
                        usage + "/" + TENANT + "?" + WINDOW, null),
                nova("api_samples/os-simple-tenant-usage/v2.40/simple-tenant-usage-get.json",
                        usage + "?limit=1" + marker + "&" + WINDOW, "2.40"),
                nova("api_samples/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-detail.json",
                        usage + "?detailed=1&limit=1" + marker + "&" + WINDOW, "2.40"),
                nova("api_samples/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-specific.json",
                        usage + "/" + TENANT + "?limit=1" + marker + "&" + WINDOW, "2.40"),
                nova("api_samples/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-all.json",
                        usage + "?detailed=1&" + WINDOW, "2.40"),
                Arguments.of("api_samples/versions/versions-get-resp.json",
                        (Function<SimServer, String>) s -> client.get(s.computeUrl().replace("/v2.1", "/"), null, null).body()),
                Arguments.of("api_samples/versions/v21-version-get-resp.json",
                        (Function<SimServer, String>) s -> client.get(s.computeUrl() + "/", null, null).body()),
                Arguments.of("keystone/auth-password-project-scoped-response.json",
                        (Function<SimServer, String>) s -> passwordAuth(s)),
                Arguments.of("keystone/auth-password-project-scoped-response-minimal-catalog.json",
                        (Function<SimServer, String>) s -> passwordAuth(simWithoutCompute)),
                Arguments.of("keystone/auth-application-credential-response.json",
                        (Function<SimServer, String>) s -> new SimClient(simWithoutCompute).post(
                                simWithoutCompute.authUrl() + "/auth/tokens", appCredentialRequest()).body()),
                Arguments.of("keystone/projects-list-response.json",
                        (Function<SimServer, String>) s -> client.get(s.authUrl() + "/projects", client.adminToken(), null).body()),
                Arguments.of("keystone/auth-projects-response.json",
                        (Function<SimServer, String>) s -> client.get(s.authUrl() + "/auth/projects", client.memberToken(), null).body()),
                Arguments.of("keystone/user-projects-list-response.json",
                        (Function<SimServer, String>) s -> client.get(s.authUrl() + "/users/" + SimCredentials.MEMBER_USER_ID
                                + "/projects", client.memberToken(), null).body()));
    }

    private static Arguments nova(String sample, String pathAndQuery, String microversion) {
        Function<SimServer, String> request = s -> {
            SimClient.Response response = client.get(s.computeUrl() + pathAndQuery, client.adminToken(), microversion);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return response.body();
        };
        return Arguments.of(sample, request);
    }

    private static String passwordAuth(SimServer server) {
        return new SimClient(server).post(server.authUrl() + "/auth/tokens", "{\"auth\": {\"identity\": {\"methods\": "
                + "[\"password\"], \"password\": {\"user\": {\"name\": \"admin\", \"domain\": {\"name\": \"Default\"}, "
                + "\"password\": \"" + SimCredentials.ADMIN_PASSWORD + "\"}}}, \"scope\": {\"project\": {\"name\": "
                + "\"admin\", \"domain\": {\"id\": \"default\"}}}}}").body();
    }

    private static String appCredentialRequest() {
        return "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"], \"application_credential\": "
                + "{\"id\": \"" + SimCredentials.APP_CREDENTIAL_ID + "\", \"secret\": \""
                + SimCredentials.APP_CREDENTIAL_SECRET + "\"}}}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void simulatorAnswerHasTheSampleStructure(String sample, Function<SimServer, String> request) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FIXTURES), "../shared/fixtures is absent (not in a user's clone)");
        JsonNode expected = SimClient.JSON.readTree(FIXTURES.resolve(sample).toFile());
        JsonNode actual = SimClient.JSON.readTree(request.apply(sim));
        List<String> differences = new ArrayList<>();
        compare("$", expected, actual, differences);
        assertThat(differences).as(sample).isEmpty();
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isNull() || actual.isNull()) {
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()
                || expected.isNumber() && expected.isIntegralNumber() != actual.isIntegralNumber()) {
            differences.add(path + ": expected " + expected.getNodeType() + " " + expected + " but was "
                    + actual.getNodeType() + " " + actual);
            return;
        }
        if (expected.isObject()) {
            Set<String> expectedKeys = keys(expected);
            Set<String> actualKeys = keys(actual);
            if (!expectedKeys.equals(actualKeys)) {
                differences.add(path + ": keys " + actualKeys + " instead of " + expectedKeys);
                return;
            }
            expectedKeys.forEach(key -> compare(path + "." + key, expected.get(key), actual.get(key), differences));
        } else if (expected.isArray()) {
            if (!expected.isEmpty()) {
                if (actual.isEmpty()) {
                    differences.add(path + ": empty array, the sample has " + expected.size() + " elements");
                }
                for (int i = 0; i < actual.size(); i++) {
                    compare(path + "[" + i + "]", expected.get(Math.min(i, expected.size() - 1)), actual.get(i), differences);
                }
            }
        } else if (path.endsWith(".href") || path.endsWith(".self") || path.endsWith(".url")) {
            compareHref(path, expected.asText(), actual.asText(), differences);
        }
    }

    private static void compareHref(String path, String expected, String actual, List<String> differences) {
        URI expectedUri = URI.create(expected);
        URI actualUri = URI.create(actual);
        if (!actualUri.isAbsolute() || expectedUri.isAbsolute() != actualUri.isAbsolute()) {
            differences.add(path + ": " + actual + " is not an absolute URL like " + expected);
            return;
        }
        if (!parameterNames(expectedUri).equals(parameterNames(actualUri))) {
            differences.add(path + ": query " + actualUri.getRawQuery() + " instead of the shape of " + expectedUri.getRawQuery());
        }
        String expectedEnd = lastSegment(expectedUri.getPath());
        String actualEnd = lastSegment(actualUri.getPath());
        if (expectedEnd.equals("os-simple-tenant-usage") || expectedEnd.equals("projects")) {
            if (!actualEnd.equals(expectedEnd)) {
                differences.add(path + ": path " + actualUri.getPath() + " does not end like " + expectedUri.getPath());
            }
        }
    }

    private static String lastSegment(String path) {
        String[] segments = path.split("/");
        return segments.length == 0 ? "" : segments[segments.length - 1];
    }

    private static List<String> parameterNames(URI uri) {
        List<String> names = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                names.add(pair.split("=", 2)[0]);
            }
        }
        return names;
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }
}

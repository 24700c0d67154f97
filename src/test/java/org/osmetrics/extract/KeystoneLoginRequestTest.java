package org.osmetrics.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osmetrics.config.OpenStackSettings;

/**
 * The password login is Keystone's own request ({@code ../shared/fixtures/nova/keystone}, from Keystone's
 * api-ref): user and project by id, or by name with their domains; and Keystone's sample answer (201, the
 * token in {@code X-Subject-Token}, the big devstack catalog) is read into a token. Over real HTTP, against a
 * server that records the request and answers the sample.
 */
class KeystoneLoginRequestTest {

    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "nova", "keystone");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT_TOKEN = "ffe47524401e4d61adc7310f7e5b6191";

    private HttpServer keystone;
    private final AtomicReference<String> request = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FIXTURES), "../shared/fixtures is absent (not in a user's clone)");
        byte[] answer = Files.readAllBytes(FIXTURES.resolve("auth-password-project-scoped-response.json"));
        keystone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        keystone.createContext("/identity/v3/auth/tokens", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                request.set(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Subject-Token", SUBJECT_TOKEN);
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        keystone.start();
    }

    @AfterEach
    void stop() {
        if (keystone != null) {
            keystone.stop(0);
        }
    }

    private AuthToken login(Map<String, String> env) {
        env.put("OS_AUTH_URL", "http://127.0.0.1:" + keystone.getAddress().getPort() + "/identity/v3");
        env.put("OS_PASSWORD", "devstacker");
        env.put("HOME", Path.of("target", "no-home").toAbsolutePath().toString());
        OpenStackSettings settings = SimulatedCloud.settings(env, 1000, Duration.ofSeconds(5), Duration.ofSeconds(5));
        HttpTransport transport = new HttpTransport(settings, new RetryPolicy(settings.tuning().retryFor(), new Random()),
                ConcurrentHashMap.newKeySet());
        return new KeystoneClient(settings, transport).authenticate();
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(FIXTURES.resolve(name).toFile());
    }

    @Test
    void aLoginByUserIdAndProjectIdIsKeystonesSampleRequest() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("OS_USER_ID", "ee4dfb6e5540447cb3741905149d9b6e");
        env.put("OS_PROJECT_ID", "a6944d763bf64ee6a275f1263fae0352");

        AuthToken token = login(env);

        assertThat(JSON.readTree(request.get())).isEqualTo(fixture("auth-password-project-id-request.json"));
        assertThat(token.id()).isEqualTo(SUBJECT_TOKEN);
        assertThat(token.projectId()).isEqualTo("a6944d763bf64ee6a275f1263fae0352");
        assertThat(token.userId()).isEqualTo("ee4dfb6e5540447cb3741905149d9b6e");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2015-11-07T02:58:43.578887Z"));
        assertThat(token.roles()).containsExactly("admin");
        assertThat(token.catalog()).filteredOn(e -> "compute".equals(e.serviceType()))
                .extracting(AuthToken.CatalogEndpoint::interfaceName).containsExactlyInAnyOrder("admin", "internal", "public");
    }

    @Test
    void aLoginByNamesCarriesTheDomainsOfKeystonesSampleRequests() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("OS_USERNAME", "admin");
        env.put("OS_USER_DOMAIN_NAME", "Default");
        env.put("OS_PROJECT_NAME", "admin");
        env.put("OS_PROJECT_DOMAIN_ID", "default");

        login(env);

        // the user of the by-name sample (unscoped), the scope of the by-name project sample
        ObjectNode expected = (ObjectNode) fixture("auth-password-user-name-domain-request.json");
        ((ObjectNode) expected.get("auth")).set("scope", fixture("auth-password-project-name-request.json")
                .get("auth").get("scope"));
        assertThat(JSON.readTree(request.get())).isEqualTo(expected);
    }
}

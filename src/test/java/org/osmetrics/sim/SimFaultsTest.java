package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimFaultsTest {
    private static final String DAY = "?detailed=1&start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";

    private SimServer sim;
    private SimClient client;
    private String token;
    private String url;

    @BeforeEach
    void start() {
        sim = SimServer.start(SimCloud.generate(3, 3, 300, Instant.parse("2024-10-02T00:00:00Z"),
                Instant.parse("2024-10-03T00:00:00Z")), new SimClock(Instant.parse("2024-10-04T00:00:00Z")));
        client = new SimClient(sim);
        token = client.adminToken();
        url = sim.computeUrl() + "/os-simple-tenant-usage" + DAY;
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void failNextAnswersTheStatusThatManyTimesWithRetryAfterFor503() {
        sim.faults().failNext(503, 2).failNext(500, 1);
        SimClient.Response first = client.get(url, token, "2.40");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(first.json().get("serviceUnavailable").get("code").asInt()).isEqualTo(503);
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(503);
        SimClient.Response third = client.get(url, token, "2.40");
        assertThat(third.status()).isEqualTo(500);
        assertThat(third.json().get("computeFault").get("message").asText()).startsWith("Unexpected API Error.");
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(200);
        assertThat(sim.usageRequests()).extracting(SimRequest::status).containsExactly(503, 503, 500, 200);
    }

    @Test
    void versionDocumentIsNotHitByNovaFaults() {
        sim.faults().failNext(503, 1);
        assertThat(client.get(sim.computeUrl() + "/", null, null).status()).isEqualTo(200);
        assertThat(sim.faults().pending()).isEqualTo(1);
    }

    @Test
    void truncatedBodyEndsTheStreamBeforeTheDeclaredLength() {
        sim.faults().truncateNextBody();
        assertThatThrownBy(() -> client.get(url, token, "2.40")).isInstanceOf(UncheckedIOException.class);
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(200);
    }

    @Test
    void stalledBodySendsTheHeadersAndHalfTheBodyThenNothing() throws Exception {
        sim.faults().stallNextBody(Duration.ofSeconds(2));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token)
                .header("OpenStack-API-Version", "compute 2.40").GET().build();
        AtomicInteger status = new AtomicInteger();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, info -> {
            status.set(info.statusCode());
            return HttpResponse.BodySubscribers.ofByteArray();
        });
        assertThatThrownBy(() -> pending.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(status.get()).as("the headers came").isEqualTo(200);
        assertThatThrownBy(pending::join).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void malformedBodyIsAComplete200WhoseJsonIsCut() {
        sim.faults().malformNextBody();
        SimClient.Response response = client.get(url, token, "2.40");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"tenant_usages\": [");
        assertThatThrownBy(() -> SimClient.JSON.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void resetConnectionGivesNoResponseAtAll() {
        // the JDK client silently retries a GET once when the connection closes before a response
        sim.faults().resetConnectionNext().resetConnectionNext();
        assertThatThrownBy(() -> client.get(url, token, "2.40")).isInstanceOf(UncheckedIOException.class);
        assertThat(sim.usageRequests()).extracting(SimRequest::status).containsExactly(0, 0);
    }

    @Test
    void delayedResponseOutlastsAShortClientTimeout() throws Exception {
        sim.faults().delayNext(Duration.ofSeconds(2));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token)
                .timeout(Duration.ofMillis(200)).GET().build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void repeatMarkerMakesTheNextLinkPointAtTheSameMarkerAgain() {
        String first = client.get(url + "&limit=10", token, "2.40").json()
                .get("tenant_usages_links").get(0).get("href").asText();
        sim.faults().repeatMarkerNext();
        String second = client.get(first, token, "2.40").json().get("tenant_usages_links").get(0).get("href").asText();
        assertThat(marker(second)).isEqualTo(marker(first));
        String third = client.get(second, token, "2.40").json().get("tenant_usages_links").get(0).get("href").asText();
        assertThat(marker(third)).isNotEqualTo(marker(first));
    }

    private static String marker(String href) {
        return href.replaceAll(".*[?&]marker=([^&]*).*", "$1");
    }

    @Test
    void delayedKeystoneAnswersTheTokenRequestOnlyAfterTheDelay() {
        sim.faults().delayKeystone(Duration.ofSeconds(2), 1);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.authUrl() + "/auth/tokens"))
                .timeout(Duration.ofMillis(200)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sim.faults().pending()).isZero();
        assertThat(client.adminToken()).isNotBlank();
    }

    @Test
    void anotherServiceAnsweringAtTheAuthUrlSendsItsJsonWithoutASubjectToken() {
        String versions = "{\"versions\": [{\"id\": \"v2.1\", \"status\": \"CURRENT\"}]}";
        sim.faults().answerKeystoneAsAnotherService(300, versions);
        SimClient.Response response = client.post(sim.authUrl() + "/auth/tokens", "{}");
        assertThat(response.status()).isEqualTo(300);
        assertThat(response.body()).isEqualTo(versions);
        assertThat(response.header("X-Subject-Token")).isNull();
        assertThat(client.adminToken()).isNotBlank();
    }

    @Test
    void keystoneFailuresHitOnlyTokenRequests() throws IOException {
        sim.faults().failKeystone(503, 1);
        SimClient.Response failed = client.post(sim.authUrl() + "/auth/tokens", "{}");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.json().get("error").get("code").asInt()).isEqualTo(503);
        assertThat(client.adminToken()).isNotBlank();
    }
}

package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeystoneSimTest {
    private static final Instant NOW = Instant.parse("2024-10-03T12:00:00.123456Z");
    private static final String WINDOW = "?start=2024-10-02T00:00:00&end=2024-10-03T00:00:00";

    private final SimClock clock = new SimClock(NOW);
    private SimServer sim;
    private SimClient client;

    @BeforeEach
    void start() {
        sim = SimServer.start(SimCloud.generate(7, 4, 60, Instant.parse("2024-10-02T00:00:00Z"),
                Instant.parse("2024-10-03T00:00:00Z")), clock);
        client = new SimClient(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void wrongPasswordIsUnauthorizedWithKeystonesBody() {
        SimClient.Response response = client.post(sim.authUrl() + "/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\","
                        + " \"domain\": {\"name\": \"Default\"}, \"password\": \"wrong\"}}}}}");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", "
                + "\"message\": \"The request you have made requires authentication.\"}}");
        assertThat(response.header("X-Subject-Token")).isNull();
    }

    @Test
    void passwordTokenComesInTheSubjectTokenHeaderWithCatalogAndMicrosecondTimes() {
        SimClient.Response response = client.post(sim.authUrl() + "/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \""
                        + SimCredentials.ADMIN_USER_ID + "\", \"password\": \"" + SimCredentials.ADMIN_PASSWORD
                        + "\"}}}, \"scope\": {\"project\": {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}}}}}");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("X-Subject-Token")).isNotBlank();
        JsonNode token = response.json().get("token");
        assertThat(token.get("expires_at").asText()).isEqualTo("2024-10-03T13:00:00.123456Z");
        assertThat(token.get("issued_at").asText()).isEqualTo("2024-10-03T12:00:00.123456Z");
        assertThat(token.get("project").get("id").asText()).isEqualTo(SimCredentials.ADMIN_PROJECT_ID);
        List<String> computeUrls = new ArrayList<>();
        for (JsonNode service : token.get("catalog")) {
            if (service.get("type").asText().equals("compute")) {
                service.get("endpoints").forEach(e -> computeUrls.add(e.get("interface").asText() + " " + e.get("url").asText()));
            }
        }
        assertThat(computeUrls).contains("public " + sim.computeUrl());
        assertThat(computeUrls).hasSize(3);
    }

    @Test
    void applicationCredentialTokenIsScopedToItsProjectWithMemberRolesOnly() {
        SimClient.Response response = client.post(sim.authUrl() + "/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"], \"application_credential\": "
                        + "{\"id\": \"" + SimCredentials.APP_CREDENTIAL_ID + "\", \"secret\": \""
                        + SimCredentials.APP_CREDENTIAL_SECRET + "\"}}}}");
        assertThat(response.status()).isEqualTo(201);
        JsonNode token = response.json().get("token");
        assertThat(token.get("project").get("id").asText()).isEqualTo(sim.memberProjectId());
        assertThat(token.get("methods").get(0).asText()).isEqualTo("application_credential");
        assertThat(token.get("application_credential").get("id").asText()).isEqualTo(SimCredentials.APP_CREDENTIAL_ID);
        assertThat(token.get("roles").findValuesAsText("name")).containsExactlyInAnyOrder("reader", "member");
        String tokenId = response.header("X-Subject-Token");
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + sim.memberProjectId() + WINDOW, tokenId, "2.40")
                .status()).isEqualTo(200);
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage" + WINDOW, tokenId, "2.40").status()).isEqualTo(403);
    }

    @Test
    void applicationCredentialWithAScopeIsRefused() {
        SimClient.Response response = client.post(sim.authUrl() + "/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"], \"application_credential\": "
                        + "{\"name\": \"" + SimCredentials.APP_CREDENTIAL_NAME + "\", \"user\": {\"id\": \""
                        + SimCredentials.MEMBER_USER_ID + "\"}, \"secret\": \"" + SimCredentials.APP_CREDENTIAL_SECRET
                        + "\"}}, \"scope\": {\"project\": {\"id\": \"" + sim.memberProjectId() + "\"}}}}");
        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void memberGetsForbiddenForTheAllProjectsListAndForAnotherProject() {
        String token = client.memberToken();
        SimClient.Response list = client.get(sim.computeUrl() + "/os-simple-tenant-usage" + WINDOW, token, "2.40");
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.body()).isEqualTo("{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow "
                + "os_compute_api:os-simple-tenant-usage:list to be performed.\"}}");
        String other = sim.cloud().projects().get(1).id();
        assertThat(client.get(sim.computeUrl() + "/os-simple-tenant-usage/" + other + WINDOW, token, "2.40").status())
                .isEqualTo(403);
        assertThat(client.get(sim.authUrl() + "/projects", token, null).status()).isEqualTo(403);
    }

    @Test
    void expiredOrMissingTokensGetUnauthorizedFromNova() {
        String token = client.adminToken();
        String url = sim.computeUrl() + "/os-simple-tenant-usage" + WINDOW;
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(200);
        assertThat(client.get(url, null, "2.40").status()).isEqualTo(401);
        clock.advance(Duration.ofHours(1));
        assertThat(client.get(url, token, "2.40").status()).isEqualTo(401);
        String fresh = client.adminToken();
        sim.expireAllTokens();
        SimClient.Response expired = client.get(url, fresh, "2.40");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").get("code").asInt()).isEqualTo(401);
        assertThat(client.get(url, client.adminToken(), "2.40").status()).isEqualTo(200);
    }

    @Test
    void adminListsEveryProjectAndMemberSeesItsOwnScope() {
        JsonNode all = client.get(sim.authUrl() + "/projects", client.adminToken(), null).json();
        assertThat(all.get("projects")).hasSize(5);
        JsonNode mine = client.get(sim.authUrl() + "/auth/projects", client.memberToken(), null).json();
        assertThat(mine.get("projects")).hasSize(1);
        assertThat(mine.get("projects").get(0).get("id").asText()).isEqualTo(sim.memberProjectId());
    }

    @Test
    void requestLogHidesTokens() {
        String token = client.adminToken();
        client.get(sim.computeUrl() + "/os-simple-tenant-usage" + WINDOW, token, "2.40");
        SimRequest last = sim.usageRequests().get(0);
        assertThat(last.header("X-Auth-Token")).isEqualTo("***");
        assertThat(last.header("OpenStack-API-Version")).isEqualTo("compute 2.40");
        assertThat(last.status()).isEqualTo(200);
        assertThat(sim.requests().toString()).doesNotContain(token).doesNotContain(SimCredentials.ADMIN_PASSWORD);
    }
}

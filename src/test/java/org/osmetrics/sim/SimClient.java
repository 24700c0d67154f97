package org.osmetrics.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the simulator's tests: real requests, Jackson on the raw bodies. */
final class SimClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, HttpResponse<String> raw) {

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SimServer sim;

    SimClient(SimServer sim) {
        this.sim = sim;
    }

    Response post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response get(String url, String token, String microversion) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        if (microversion != null) {
            request.header("OpenStack-API-Version", "compute " + microversion);
        }
        return send(request.build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Password token scoped to a project by id; null project: the user's default project. */
    String passwordToken(String user, String password, String projectId) {
        String scope = projectId == null ? "" : ", \"scope\": {\"project\": {\"id\": \"" + projectId + "\"}}";
        Response response = post(sim.authUrl() + "/auth/tokens", "{\"auth\": {\"identity\": {\"methods\": [\"password\"],"
                + " \"password\": {\"user\": {\"name\": \"" + user + "\", \"domain\": {\"id\": \"default\"},"
                + " \"password\": \"" + password + "\"}}}" + scope + "}}");
        if (response.status() != 201) {
            throw new IllegalStateException("auth failed: " + response.status() + " " + response.body());
        }
        return response.header("X-Subject-Token");
    }

    String adminToken() {
        return passwordToken(SimCredentials.ADMIN_USER, SimCredentials.ADMIN_PASSWORD, SimCredentials.ADMIN_PROJECT_ID);
    }

    String memberToken() {
        return passwordToken(SimCredentials.MEMBER_USER, SimCredentials.MEMBER_PASSWORD, sim.memberProjectId());
    }
}

package org.osmetrics.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.OS4JException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Role;
import org.openstack4j.model.identity.v3.Service;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.AuthType;
import org.osmetrics.config.OpenStackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone v3: gets project-scoped tokens and lists project names.
 *
 * <p>Password logins go through openstack4j ({@code OSFactory.builderV3()}), whose token model also gives
 * the catalog. openstack4j 3.12 cannot log in with an application credential, so that one call
 * ({@code POST /v3/auth/tokens}) is made here directly and its token JSON read with Jackson. Either way the
 * result is an {@link AuthToken}; endpoints are picked by {@link ComputeEndpoints}, not by openstack4j.
 * Project listings are read raw too (openstack4j has no {@code /v3/auth/projects}).
 */
final class KeystoneClient {

    private static final Logger LOG = LoggerFactory.getLogger(KeystoneClient.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final OpenStackSettings settings;
    private final HttpTransport transport;
    private final RetryPolicy retryPolicy;

    KeystoneClient(OpenStackSettings settings, HttpTransport transport, RetryPolicy retryPolicy) {
        this.settings = settings;
        this.transport = transport;
        this.retryPolicy = retryPolicy;
    }

    /** A new project-scoped token; a rejected login is exit 3, an unreachable Keystone exit 4 after retries. */
    AuthToken authenticate() {
        AuthToken token = settings.authType() == AuthType.APPLICATION_CREDENTIAL
                ? applicationCredentialLogin() : passwordLogin();
        LOG.debug("authenticated {} at {}: {}", settings.principal(), settings.authUrl(), token);
        return token;
    }

    private AuthToken passwordLogin() {
        Config config = Config.newConfig()
                .withConnectionTimeout(millis(settings.tuning().connectTimeout()))
                .withReadTimeout(millis(settings.tuning().readTimeout()));
        if (settings.insecure()) {
            config = config.withSSLVerificationDisabled();
        } else if (transport.sslContext() != null) {
            config = config.withSSLContext(transport.sslContext());
        }
        Config clientConfig = config;
        String what = "Keystone login (POST " + settings.authUrl() + "/auth/tokens)";
        OSClientV3 client = retryPolicy.run(what, () -> {
            try {
                return OSFactory.builderV3()
                        .endpoint(settings.authUrl().toString())
                        .credentials(user(), settings.password(), userDomain())
                        .scopeToProject(project(), projectDomain())
                        .withConfig(clientConfig)
                        .authenticate();
            } catch (ResponseException e) {
                if (e.getStatus() == 0) { // openstack4j's way of saying the connection failed
                    throw connectionFailure(e);
                }
                if (e.getStatus() == 429 || e.getStatus() == 502 || e.getStatus() == 503 || e.getStatus() == 504) {
                    throw new RetryPolicy.TransientFailure("HTTP " + e.getStatus(), null, null);
                }
                throw rejected(e.getStatus(), null);
            } catch (OS4JException | javax.ws.rs.ProcessingException e) {
                throw connectionFailure(e);
            }
        });
        return fromOpenstack4j(client.getToken());
    }

    /** A failed connection of openstack4j: an untrusted certificate is a configuration error, the rest is retried. */
    private RetryPolicy.TransientFailure connectionFailure(RuntimeException e) {
        SSLException tls = HttpTransport.sslCause(e);
        if (tls != null) {
            throw HttpTransport.tlsFailure(URI.create(settings.authUrl() + "/auth/tokens"), tls);
        }
        return new RetryPolicy.TransientFailure("cannot connect (" + rootMessage(e) + ")", null, e);
    }

    /** openstack4j wants the user either by id (no domain) or by name with its domain. */
    private String user() {
        return settings.userId() != null ? settings.userId() : settings.username();
    }

    private Identifier userDomain() {
        if (settings.userId() != null) {
            return null;
        }
        return settings.userDomainId() != null ? Identifier.byId(settings.userDomainId())
                : Identifier.byName(settings.userDomainName());
    }

    private Identifier project() {
        return settings.projectId() != null ? Identifier.byId(settings.projectId())
                : Identifier.byName(settings.projectName());
    }

    private Identifier projectDomain() {
        if (settings.projectId() != null) {
            return null;
        }
        return settings.projectDomainId() != null ? Identifier.byId(settings.projectDomainId())
                : Identifier.byName(settings.projectDomainName());
    }

    private static AuthToken fromOpenstack4j(Token token) {
        List<AuthToken.CatalogEndpoint> catalog = new ArrayList<>();
        if (token.getCatalog() != null) {
            for (Service service : token.getCatalog()) {
                for (Endpoint endpoint : service.getEndpoints()) {
                    catalog.add(new AuthToken.CatalogEndpoint(service.getType(), service.getName(),
                            endpoint.getIface() == null ? null : endpoint.getIface().value(),
                            endpoint.getRegionId() != null ? endpoint.getRegionId() : endpoint.getRegion(),
                            endpoint.getUrl() == null ? null : endpoint.getUrl().toString()));
                }
            }
        }
        List<String> roles = token.getRoles() == null ? List.of()
                : token.getRoles().stream().map(Role::getName).toList();
        return new AuthToken(token.getId(), token.getExpires() == null ? null : token.getExpires().toInstant(),
                token.getProject() == null ? null : token.getProject().getId(),
                token.getProject() == null ? null : token.getProject().getName(),
                token.getUser() == null ? null : token.getUser().getId(), roles, catalog);
    }

    private AuthToken applicationCredentialLogin() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("application_credential");
        ObjectNode credential = identity.putObject("application_credential");
        if (settings.applicationCredentialId() != null) {
            credential.put("id", settings.applicationCredentialId());
        } else {
            credential.put("name", settings.applicationCredentialName());
            ObjectNode user = credential.putObject("user");
            if (settings.userId() != null) {
                user.put("id", settings.userId());
            } else {
                user.put("name", settings.username());
                user.putObject("domain").put(settings.userDomainId() != null ? "id" : "name",
                        settings.userDomainId() != null ? settings.userDomainId() : settings.userDomainName());
            }
        }
        credential.put("secret", settings.applicationCredentialSecret());
        URI url = URI.create(settings.authUrl() + "/auth/tokens");
        HttpTransport.Response response = transport.send("POST", url, Map.of(), body.toString());
        if (response.status() != 201 && response.status() != 200) {
            throw rejected(response.status(), response);
        }
        String tokenId = response.header("X-Subject-Token");
        if (tokenId == null || tokenId.isBlank()) {
            throw OsMetricsException.source("Keystone answered " + url + " without an X-Subject-Token header", null);
        }
        return fromJson(tokenId, readJson(response).path("token"), url);
    }

    private static AuthToken fromJson(String tokenId, JsonNode token, URI url) {
        if (!token.isObject()) {
            throw OsMetricsException.source("Keystone's answer to " + url + " has no 'token' object", null);
        }
        List<AuthToken.CatalogEndpoint> catalog = new ArrayList<>();
        for (JsonNode service : token.path("catalog")) {
            for (JsonNode endpoint : service.path("endpoints")) {
                catalog.add(new AuthToken.CatalogEndpoint(service.path("type").asText(null),
                        service.path("name").asText(null), endpoint.path("interface").asText(null),
                        endpoint.hasNonNull("region_id") ? endpoint.get("region_id").asText()
                                : endpoint.path("region").asText(null),
                        endpoint.path("url").asText(null)));
            }
        }
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(role -> roles.add(role.path("name").asText()));
        Instant expiresAt = token.hasNonNull("expires_at")
                ? OffsetDateTime.parse(token.get("expires_at").asText()).toInstant() : null;
        return new AuthToken(tokenId, expiresAt, token.path("project").path("id").asText(null),
                token.path("project").path("name").asText(null), token.path("user").path("id").asText(null),
                roles, catalog);
    }

    private OsMetricsException rejected(int status, HttpTransport.Response response) {
        if (status == 401) {
            return OsMetricsException.config("Keystone at " + settings.authUrl() + " rejected the credentials of "
                    + settings.principal() + " (HTTP 401): check the password or secret, the user and its domain");
        }
        if (status == 404 && !errorText(response).contains("Could not find")) {
            return wrongAuthUrl(response);
        }
        if (status == 403 || status == 404) {
            return OsMetricsException.config("Keystone at " + settings.authUrl() + " refused to scope a token for "
                    + settings.principal() + " (HTTP " + status + "): check the project, its domain, and that the "
                    + "user has a role on it");
        }
        return OsMetricsException.source("Keystone at " + settings.authUrl() + " answered HTTP " + status
                + " to the login of " + settings.principal() + errorText(response), null);
    }

    /**
     * A 404 to the login itself: nothing answers Keystone's v3 login at that URL (Keystone says a project or
     * domain it cannot find with 401, older ones with a 404 whose message starts "Could not find").
     */
    private OsMetricsException wrongAuthUrl(HttpTransport.Response response) {
        return OsMetricsException.config("the auth URL is wrong: " + (response == null ? "" : response.url() + " ")
                + "answered HTTP 404 to the login, so there is no Keystone v3 API at " + settings.authUrl()
                + "; check OS_AUTH_URL (or --os-auth-url, clouds.yaml auth_url): the URL of the identity endpoint,"
                + " as 'openstack endpoint list --service identity' or the dashboard's API access page shows it");
    }

    /**
     * Project names by id: {@code GET /v3/projects} (admin), else {@code GET /v3/auth/projects} (the projects
     * the user can scope to), else nothing (the caller carries on with ids).
     */
    Map<String, String> projectNames(AuthToken token) {
        for (String path : List.of("/projects", "/auth/projects")) {
            Map<String, String> names = new LinkedHashMap<>();
            URI url = URI.create(settings.authUrl() + path);
            boolean allowed = true;
            while (url != null) {
                HttpTransport.Response response = transport.send("GET", url, Map.of("X-Auth-Token", token.id()), null);
                if (response.status() == 401 || response.status() == 403 || response.status() == 404) {
                    LOG.info("Keystone does not let {} list projects at {} (HTTP {}); trying the next way",
                            settings.principal(), url, response.status());
                    allowed = false;
                    break;
                }
                if (response.status() != 200) {
                    throw OsMetricsException.source("Keystone answered HTTP " + response.status() + " to GET " + url
                            + errorText(response), null);
                }
                JsonNode root = readJson(response);
                root.path("projects").forEach(p -> names.put(p.path("id").asText(), p.path("name").asText(null)));
                url = nextPage(root.path("links").path("next"), path);
            }
            if (allowed) {
                return names;
            }
        }
        LOG.info("project names are not available to {}: reports show project ids", settings.principal());
        return Map.of();
    }

    /** Keystone's next link, rebuilt on the configured auth URL (the link's host may be internal). */
    private URI nextPage(JsonNode next, String path) {
        if (next == null || next.isNull() || next.asText().isBlank()) {
            return null;
        }
        String query = URI.create(next.asText()).getRawQuery();
        return query == null ? null : URI.create(settings.authUrl() + path + "?" + query);
    }

    static JsonNode readJson(HttpTransport.Response response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || node.isMissingNode()) {
                throw OsMetricsException.source("empty response body from " + response.url(), null);
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonProblem problem = new JsonProblem(e);
            throw OsMetricsException.source("malformed JSON from " + response.url() + " (HTTP " + response.status()
                    + ", " + response.body().length() + " characters" + problem.where().replace(" at", ",") + "): "
                    + problem.reason(), e);
        }
    }

    /** The message of an OpenStack error body ({"badRequest": {"message": ...}}), or "". */
    static String errorText(HttpTransport.Response response) {
        if (response == null || response.body() == null || response.body().isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(response.body());
            for (JsonNode error : root) {
                if (error.hasNonNull("message")) {
                    return ": " + error.get("message").asText();
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON (a proxy's HTML page, say): the status alone is the message
        }
        return "";
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}

package org.osmetrics.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.AuthType;
import org.osmetrics.config.OpenStackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone v3: gets project-scoped tokens ({@code POST /v3/auth/tokens}, password or application credential,
 * the request bodies of Keystone's api-ref) and lists project names, all over {@link HttpTransport}: every
 * login, first or renewal, is bounded by the read timeout and the retry budget like any other call. The
 * token JSON is read with Jackson into an {@link AuthToken}; endpoints are picked by {@link ComputeEndpoints}.
 */
final class KeystoneClient {

    private static final Logger LOG = LoggerFactory.getLogger(KeystoneClient.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String LOGIN = "Keystone login";

    private final OpenStackSettings settings;
    private final HttpTransport transport;

    KeystoneClient(OpenStackSettings settings, HttpTransport transport) {
        this.settings = settings;
        this.transport = transport;
    }

    /**
     * A new project-scoped token. A rejected login is exit 3, and so is an auth URL that answers but is not
     * Keystone; an unreachable or failing Keystone is exit 4 after retries.
     */
    AuthToken authenticate() {
        ObjectNode body = settings.authType() == AuthType.APPLICATION_CREDENTIAL
                ? applicationCredentialRequest() : passwordRequest();
        URI url = URI.create(settings.authUrl() + "/auth/tokens");
        HttpTransport.Response response = transport.send(LOGIN, "POST", url, Map.of(), body.toString());
        AuthToken token = token(response, url);
        LOG.debug("authenticated {} at {}: {}", settings.principal(), settings.authUrl(), token);
        return token;
    }

    /** The password login scoped to the configured project (user and project each by id, or by name and domain). */
    private ObjectNode passwordRequest() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        putUser(user);
        user.put("password", settings.password());
        ObjectNode project = auth.putObject("scope").putObject("project");
        if (settings.projectId() != null) {
            project.put("id", settings.projectId());
        } else {
            project.put("name", settings.projectName());
            putDomain(project, settings.projectDomainId(), settings.projectDomainName());
        }
        return body;
    }

    /** The application-credential login: by id, or by name with its user; scoped to the credential's project. */
    private ObjectNode applicationCredentialRequest() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("application_credential");
        ObjectNode credential = identity.putObject("application_credential");
        if (settings.applicationCredentialId() != null) {
            credential.put("id", settings.applicationCredentialId());
        } else {
            credential.put("name", settings.applicationCredentialName());
            putUser(credential.putObject("user"));
        }
        credential.put("secret", settings.applicationCredentialSecret());
        return body;
    }

    /** The user by id, or by name with its domain. */
    private void putUser(ObjectNode user) {
        if (settings.userId() != null) {
            user.put("id", settings.userId());
        } else {
            user.put("name", settings.username());
            putDomain(user, settings.userDomainId(), settings.userDomainName());
        }
    }

    private static void putDomain(ObjectNode owner, String id, String name) {
        ObjectNode domain = owner.putObject("domain");
        if (id != null) {
            domain.put("id", id);
        } else {
            domain.put("name", name);
        }
    }

    /**
     * The token of Keystone's answer: a 2xx with an {@code X-Subject-Token} and a {@code token} object. Any
     * other 2xx or 3xx, or a 4xx that is not Keystone's error document, comes from something that is not
     * Keystone (another service's port, a version list, a web server): a configuration error, not retried.
     */
    private AuthToken token(HttpTransport.Response response, URI url) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            String tokenId = response.header("X-Subject-Token");
            boolean hasTokenId = tokenId != null && !tokenId.isBlank();
            JsonNode root = hasTokenId ? readJson(response) : jsonOrNull(response.body());
            JsonNode token = root == null ? null : root.get("token");
            if (!hasTokenId || token == null || !token.isObject()) {
                throw notKeystone(response, hasTokenId);
            }
            return fromJson(tokenId, token, url);
        }
        if (status == 401) {
            throw OsMetricsException.config("Keystone at " + settings.authUrl() + " rejected the credentials of "
                    + settings.principal() + " (HTTP 401): check the password or secret, the user and its domain");
        }
        boolean keystoneError = isKeystoneError(response.body());
        if (status == 404 && !(keystoneError && errorText(response).contains("Could not find"))) {
            throw wrongAuthUrl(response);
        }
        if (status < 500 && !keystoneError) {
            throw notKeystone(response, false);
        }
        if (status == 403 || status == 404) {
            throw OsMetricsException.config("Keystone at " + settings.authUrl() + " refused to scope a token for "
                    + settings.principal() + " (HTTP " + status + errorText(response) + "): check the project, its "
                    + "domain, and that the user has a role on it");
        }
        throw OsMetricsException.source("Keystone at " + settings.authUrl() + " answered HTTP " + status
                + " to the login of " + settings.principal() + errorText(response), null);
    }

    /** Exit 3: the auth URL answers, but not as Keystone v3; says what it answered (never the body itself). */
    private OsMetricsException notKeystone(HttpTransport.Response response, boolean hasTokenId) {
        return OsMetricsException.config("the auth URL " + settings.authUrl() + " does not look like a Keystone v3 "
                + "identity endpoint: POST " + response.url() + " answered HTTP " + response.status()
                + (response.header("Location") == null ? "" : " (redirecting to " + response.header("Location") + ")")
                + " with " + describeBody(response) + (hasTokenId ? "" : " and no X-Subject-Token header")
                + ", not a Keystone token; check OS_AUTH_URL (Keystone's v3 URL, e.g. https://keystone.example.com:5000/v3)");
    }

    /** What a body is, in a few words: "a JSON object with keys [versions]", "612 characters of text/html". */
    private static String describeBody(HttpTransport.Response response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return "an empty body";
        }
        JsonNode root = jsonOrNull(body);
        if (root == null) {
            return body.length() + " characters of " + response.headers().firstValue("Content-Type").orElse("unknown type")
                    .replaceAll(";.*", "");
        }
        if (!root.isObject()) {
            return "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext() && keys.size() < 5; ) {
            keys.add(names.next());
        }
        return "a JSON object with keys " + keys + (root.size() > keys.size() ? " and more" : "");
    }

    /** Keystone's error document: {@code {"error": {"code": 404, "title": ..., "message": ...}}}. */
    private static boolean isKeystoneError(String body) {
        JsonNode root = jsonOrNull(body);
        return root != null && root.path("error").isObject() && root.path("error").path("code").isInt();
    }

    private static JsonNode jsonOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static AuthToken fromJson(String tokenId, JsonNode token, URI url) {
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
        Instant expiresAt;
        try {
            expiresAt = token.hasNonNull("expires_at") ? OffsetDateTime.parse(token.get("expires_at").asText()).toInstant()
                    : null;
        } catch (DateTimeParseException e) {
            throw OsMetricsException.source("Keystone's token from " + url + " has an unreadable expires_at '"
                    + token.get("expires_at").asText() + "'", e);
        }
        return new AuthToken(tokenId, expiresAt, token.path("project").path("id").asText(null),
                token.path("project").path("name").asText(null), token.path("user").path("id").asText(null),
                roles, catalog);
    }

    /**
     * A 404 to the login itself: nothing answers Keystone's v3 login at that URL (Keystone says a project or
     * domain it cannot find with 401, older ones with a 404 whose message starts "Could not find").
     */
    private OsMetricsException wrongAuthUrl(HttpTransport.Response response) {
        return OsMetricsException.config("the auth URL is wrong: " + settings.authUrl() + " does not look like a Keystone"
                + " v3 identity endpoint: POST " + response.url() + " answered HTTP 404 with " + describeBody(response)
                + "; check OS_AUTH_URL (or --os-auth-url, clouds.yaml auth_url): the URL of the identity endpoint, as"
                + " 'openstack endpoint list --service identity' or the dashboard's API access page shows it");
    }

    /**
     * Project names by id: {@code GET /v3/projects} (admin), else {@code GET /v3/auth/projects} (the projects
     * the user can scope to), else nothing (the caller carries on with ids).
     */
    Map<String, String> projectNames(AuthToken token) {
        Map<String, String> names = new LinkedHashMap<>();
        projects(token, false).forEach(project -> names.put(project.id(), project.name()));
        return names;
    }

    /**
     * The projects the credentials may list (as {@link #projectNames}) with their domains; with
     * {@code domainNames}, the domains' names too, from {@code GET /v3/domains} (admin), else
     * {@code GET /v3/auth/domains}, else none (null names: reports show the domain ids).
     */
    List<KeystoneProject> projects(AuthToken token, boolean domainNames) {
        List<KeystoneProject> projects = new ArrayList<>();
        boolean listed = list(token, List.of("/projects", "/auth/projects"), "projects", project -> projects.add(
                new KeystoneProject(project.path("id").asText(), project.path("name").asText(null),
                        project.path("domain_id").asText(null), null)));
        if (!listed) {
            LOG.info("project names are not available to {}: reports show project ids", settings.principal());
            return List.of();
        }
        if (!domainNames || projects.isEmpty()) {
            return projects;
        }
        Map<String, String> domains = new LinkedHashMap<>();
        try {
            if (!list(token, List.of("/domains", "/auth/domains"), "domains",
                    domain -> domains.put(domain.path("id").asText(), domain.path("name").asText(null)))) {
                LOG.info("domain names are not available to {}: reports show domain ids", settings.principal());
            }
        } catch (OsMetricsException e) {
            // names of domains are a convenience: the projects' names and domain ids are kept
            LOG.info("domain names not read ({}): reports show domain ids", e.getMessage());
        }
        return projects.stream().map(p -> new KeystoneProject(p.id(), p.name(), p.domainId(),
                p.domainId() == null ? null : domains.get(p.domainId()))).toList();
    }

    /**
     * Every page of the first of {@code paths} the credentials may read (401, 403 and 404 try the next), each
     * element of its array {@code field} given to {@code each}; false when none may be read.
     */
    private boolean list(AuthToken token, List<String> paths, String field, Consumer<JsonNode> each) {
        for (String path : paths) {
            List<JsonNode> items = new ArrayList<>();
            URI url = URI.create(settings.authUrl() + path);
            boolean allowed = true;
            while (url != null) {
                HttpTransport.Response response = transport.send("GET", url, Map.of("X-Auth-Token", token.id()), null);
                if (response.status() == 401 || response.status() == 403 || response.status() == 404) {
                    LOG.info("Keystone does not let {} list {} at {} (HTTP {}); trying the next way",
                            settings.principal(), field, url, response.status());
                    allowed = false;
                    break;
                }
                if (response.status() != 200) {
                    throw OsMetricsException.source("Keystone answered HTTP " + response.status() + " to GET " + url
                            + errorText(response), null);
                }
                JsonNode root = readJson(response);
                root.path(field).forEach(items::add);
                url = nextPage(root.path("links").path("next"), path);
            }
            if (allowed) {
                items.forEach(each);
                return true;
            }
        }
        return false;
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
}

package org.osmetrics.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The simulated Keystone v3 under {@code /identity}: {@code POST /v3/auth/tokens} (password and
 * application credential), {@code GET /v3/projects} (admin), {@code GET /v3/auth/projects},
 * {@code GET /v3/users/{id}/projects}, {@code GET /v3/domains} (admin), {@code GET /v3/auth/domains} and the v3
 * version document. Every project is in the default domain. Bodies are shaped like Keystone's
 * api-ref samples; errors are {@code {"error": {"code", "title", "message"}}}.
 */
final class KeystoneApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAUTHORIZED = "The request you have made requires authentication.";
    private static final List<String> ADMIN_ROLES = List.of("admin", "member", "reader");
    private static final List<String> MEMBER_ROLES = List.of("reader", "member");

    private final SimServer sim;

    KeystoneApi(SimServer sim) {
        this.sim = sim;
    }

    /** A user of the simulated Keystone. */
    private record User(String id, String name, String password, boolean admin) {
    }

    private static final User ADMIN = new User(SimCredentials.ADMIN_USER_ID, SimCredentials.ADMIN_USER,
            SimCredentials.ADMIN_PASSWORD, true);
    private static final User MEMBER = new User(SimCredentials.MEMBER_USER_ID, SimCredentials.MEMBER_USER,
            SimCredentials.MEMBER_PASSWORD, false);

    void handle(HttpExchange exchange, Reply reply) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        String method = exchange.getRequestMethod();
        reply.header("Vary", "X-Auth-Token");
        reply.header("x-openstack-request-id", "req-" + UUID.randomUUID());
        switch (path) {
            case "/identity/v3" -> versionDocument(reply);
            case "/identity/v3/auth/tokens" -> {
                if (!method.equals("POST")) {
                    error(reply, 405, "Method Not Allowed", "The method is not allowed for the requested URL.");
                } else {
                    issueToken(exchange, reply);
                }
            }
            case "/identity/v3/projects" -> listProjects(exchange, reply);
            case "/identity/v3/auth/projects" -> authProjects(exchange, reply, null);
            case "/identity/v3/domains" -> listDomains(exchange, reply, true);
            case "/identity/v3/auth/domains" -> listDomains(exchange, reply, false);
            default -> {
                String prefix = "/identity/v3/users/";
                if (path.startsWith(prefix) && path.endsWith("/projects")) {
                    String userId = path.substring(prefix.length(), path.length() - "/projects".length());
                    authProjects(exchange, reply, userId);
                } else {
                    error(reply, 404, "Not Found", "Could not find the requested resource.");
                }
            }
        }
    }

    private void versionDocument(Reply reply) throws IOException {
        reply.json(200, json -> json.beginObject().key("version").beginObject()
                .field("id", "v3.14")
                .field("status", "stable")
                .field("updated", "2020-04-07T00:00:00Z")
                .key("links").beginArray()
                .beginObject().field("rel", "self").field("href", sim.authUrl() + "/").endObject()
                .endArray()
                .key("media-types").beginArray()
                .beginObject().field("base", "application/json")
                .field("type", "application/vnd.openstack.identity-v3+json").endObject()
                .endArray()
                .endObject().endObject());
    }

    private void issueToken(HttpExchange exchange, Reply reply) throws IOException {
        SimFaults.Fault fault = sim.faults().poll(SimFaults.Target.KEYSTONE, false);
        if (fault != null && fault.kind() == SimFaults.Kind.DELAY) {
            try {
                Thread.sleep(fault.duration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } else if (fault != null && fault.kind() == SimFaults.Kind.FOREIGN) {
            reply.raw(fault.status(), "application/json", fault.body().getBytes(StandardCharsets.UTF_8));
            return;
        } else if (fault != null) {
            if (fault.duration() != null) {
                reply.header("Retry-After", Long.toString(fault.duration().toSeconds()));
            }
            error(reply, fault.status(), title(fault.status()), "Injected failure of the simulated Keystone.");
            return;
        }
        JsonNode auth;
        try (InputStream body = exchange.getRequestBody()) {
            auth = JSON.readTree(new String(body.readAllBytes(), StandardCharsets.UTF_8)).path("auth");
        } catch (JsonProcessingException e) {
            error(reply, 400, "Bad Request", "Expecting to find valid JSON in request body.");
            return;
        }
        JsonNode identity = auth.path("identity");
        JsonNode methods = identity.path("methods");
        if (!methods.isArray() || methods.isEmpty()) {
            error(reply, 400, "Bad Request", "'methods' is a required property");
            return;
        }
        List<String> methodNames = new ArrayList<>();
        methods.forEach(m -> methodNames.add(m.asText()));
        Optional<Tokens.Token> token;
        if (methodNames.contains("application_credential")) {
            token = applicationCredential(identity.path("application_credential"), auth.has("scope"));
        } else if (methodNames.contains("password")) {
            JsonNode user = identity.path("password").path("user");
            if (!user.has("id") && user.has("name") && !user.has("domain")) {
                error(reply, 400, "Bad Request", "Expecting to find domain in user. The server could not "
                        + "comply with the request since it is either malformed or otherwise incorrect. "
                        + "The client is assumed to be in error.");
                return;
            }
            if (auth.path("scope").has("domain") || auth.path("scope").has("system")) {
                error(reply, 400, "Bad Request", "The simulated Keystone supports project scope only.");
                return;
            }
            token = password(user, auth.path("scope").path("project"));
        } else {
            token = Optional.empty();
        }
        if (token.isEmpty()) {
            unauthorized(reply);
            return;
        }
        Tokens.Token issued = token.get();
        boolean withCatalog = !hasParameter(exchange, "nocatalog");
        reply.header("X-Subject-Token", issued.id());
        reply.json(201, json -> tokenBody(json, issued, withCatalog));
    }

    private Optional<Tokens.Token> password(JsonNode user, JsonNode scope) {
        User found = findUser(user);
        if (found == null || !found.password().equals(user.path("password").asText(null))) {
            return Optional.empty();
        }
        String projectId;
        if (scope.isMissingNode()) {
            projectId = found.admin() ? SimCredentials.ADMIN_PROJECT_ID : sim.memberProjectId();
        } else if (scope.has("id")) {
            projectId = scope.get("id").asText();
        } else {
            projectId = projectIdByName(scope.path("name").asText(null), scope.path("domain"));
        }
        if (projectId == null || projectName(projectId) == null) {
            return Optional.empty();
        }
        if (!found.admin() && !projectId.equals(sim.memberProjectId())) {
            return Optional.empty();
        }
        return Optional.of(issue(found, projectId, found.admin() ? ADMIN_ROLES : MEMBER_ROLES, "password", null));
    }

    private Optional<Tokens.Token> applicationCredential(JsonNode credential, boolean scoped) {
        if (scoped) {
            return Optional.empty();
        }
        boolean byId = SimCredentials.APP_CREDENTIAL_ID.equals(credential.path("id").asText(null));
        boolean byName = SimCredentials.APP_CREDENTIAL_NAME.equals(credential.path("name").asText(null))
                && findUser(credential.path("user")) == MEMBER;
        if (!(byId || byName)
                || !SimCredentials.APP_CREDENTIAL_SECRET.equals(credential.path("secret").asText(null))) {
            return Optional.empty();
        }
        return Optional.of(issue(MEMBER, sim.memberProjectId(), MEMBER_ROLES, "application_credential",
                SimCredentials.APP_CREDENTIAL_ID));
    }

    private Tokens.Token issue(User user, String projectId, List<String> roles, String method, String appCred) {
        return sim.tokens().issue(user.id(), user.name(), projectId, projectName(projectId), roles,
                sim.clock().instant(), sim.tokenLifetime(), method, appCred);
    }

    private static User findUser(JsonNode user) {
        for (User candidate : List.of(ADMIN, MEMBER)) {
            if (user.has("id")) {
                if (candidate.id().equals(user.get("id").asText())) {
                    return candidate;
                }
            } else if (candidate.name().equals(user.path("name").asText(null)) && inDefaultDomain(user.path("domain"))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean inDefaultDomain(JsonNode domain) {
        return SimCredentials.DOMAIN_ID.equals(domain.path("id").asText(null))
                || SimCredentials.DOMAIN_NAME.equals(domain.path("name").asText(null));
    }

    private String projectIdByName(String name, JsonNode domain) {
        if (name == null || !inDefaultDomain(domain)) {
            return null;
        }
        if (name.equals(SimCredentials.ADMIN_PROJECT)) {
            return SimCredentials.ADMIN_PROJECT_ID;
        }
        return sim.cloud().projects().stream().filter(p -> p.name().equals(name)).map(SimProject::id)
                .findFirst().orElse(null);
    }

    /** The name of a Keystone project (the admin project or one of the cloud's), or null. */
    private String projectName(String projectId) {
        if (projectId.equals(SimCredentials.ADMIN_PROJECT_ID)) {
            return SimCredentials.ADMIN_PROJECT;
        }
        return sim.cloud().project(projectId).map(SimProject::name).orElse(null);
    }

    private void tokenBody(PyJson json, Tokens.Token token, boolean withCatalog) {
        json.beginObject().key("token").beginObject();
        if (token.applicationCredentialId() != null) {
            json.key("application_credential").beginObject()
                    .field("id", SimCredentials.APP_CREDENTIAL_ID)
                    .field("name", SimCredentials.APP_CREDENTIAL_NAME)
                    .field("restricted", true)
                    .endObject();
        }
        json.key("methods").beginArray().value(token.method()).endArray();
        json.key("roles").beginArray();
        for (String role : token.roles()) {
            json.beginObject().field("id", roleId(role)).field("name", role).endObject();
        }
        json.endArray();
        json.field("expires_at", NovaTime.formatKeystone(token.expiresAt()));
        json.key("project").beginObject();
        domain(json);
        json.field("id", token.projectId()).field("name", token.projectName()).endObject();
        json.field("is_domain", false);
        if (withCatalog) {
            catalog(json, token.projectId());
        }
        json.key("user").beginObject();
        domain(json);
        json.field("id", token.userId()).field("name", token.userName())
                .key("password_expires_at").nullValue().endObject();
        json.key("audit_ids").beginArray().value(token.id().substring(6, 28)).endArray();
        json.field("issued_at", NovaTime.formatKeystone(token.issuedAt()));
        json.endObject().endObject();
    }

    private static void domain(PyJson json) {
        json.key("domain").beginObject()
                .field("id", SimCredentials.DOMAIN_ID).field("name", SimCredentials.DOMAIN_NAME).endObject();
    }

    private void catalog(PyJson json, String projectId) {
        SimOptions options = sim.options();
        String firstRegion = options.regions().get(0);
        json.key("catalog").beginArray();
        json.beginObject().key("endpoints").beginArray();
        for (String endpointInterface : SimServer.INTERFACES) {
            endpoint(json, firstRegion, endpointInterface, sim.baseUrl() + "/identity", "identity");
        }
        json.endArray().field("type", "identity").field("id", id("service", "identity"))
                .field("name", "keystone").endObject();
        if (options.computeInCatalog()) {
            json.beginObject().key("endpoints").beginArray();
            for (String region : options.regions()) {
                for (String endpointInterface : SimServer.INTERFACES) {
                    String url = sim.computeUrl(region, endpointInterface)
                            + (options.computeUrlWithProjectId() ? "/" + projectId : "");
                    endpoint(json, region, endpointInterface, url, "compute");
                }
            }
            json.endArray().field("type", "compute").field("id", id("service", "compute"))
                    .field("name", "nova").endObject();
        }
        json.endArray();
    }

    private static void endpoint(PyJson json, String region, String endpointInterface, String url, String service) {
        json.beginObject()
                .field("region_id", region)
                .field("url", url)
                .field("region", region)
                .field("interface", endpointInterface)
                .field("id", id(service, region + "/" + endpointInterface))
                .endObject();
    }

    private static String id(String kind, String name) {
        return UUID.nameUUIDFromBytes((kind + ":" + name).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static String roleId(String role) {
        return switch (role) {
            case "admin" -> SimCredentials.ROLE_ADMIN_ID;
            case "member" -> SimCredentials.ROLE_MEMBER_ID;
            default -> SimCredentials.ROLE_READER_ID;
        };
    }

    private void listProjects(HttpExchange exchange, Reply reply) throws IOException {
        Optional<Tokens.Token> token = authenticated(exchange);
        if (token.isEmpty()) {
            unauthorized(reply);
            return;
        }
        if (!token.get().hasRole("admin")) {
            error(reply, 403, "Forbidden",
                    "You are not authorized to perform the requested action: identity:list_projects.");
            return;
        }
        String nameFilter = parameter(exchange, "name");
        List<String[]> projects = new ArrayList<>();
        for (String[] project : allProjects()) {
            if (nameFilter == null || nameFilter.equals(project[1])) {
                projects.add(project);
            }
        }
        projectList(reply, sim.authUrl() + "/projects", projects, ProjectShape.FULL);
    }

    private void authProjects(HttpExchange exchange, Reply reply, String userId) throws IOException {
        Optional<Tokens.Token> token = authenticated(exchange);
        if (token.isEmpty()) {
            unauthorized(reply);
            return;
        }
        boolean admin = token.get().hasRole("admin");
        if (userId != null && !userId.equals(token.get().userId()) && !admin) {
            error(reply, 403, "Forbidden",
                    "You are not authorized to perform the requested action: identity:list_user_projects.");
            return;
        }
        String owner = userId == null ? token.get().userId() : userId;
        List<String[]> projects = new ArrayList<>();
        if (owner.equals(SimCredentials.ADMIN_USER_ID)) {
            projects.addAll(allProjects());
        } else if (owner.equals(SimCredentials.MEMBER_USER_ID)) {
            projects.add(new String[] {sim.memberProjectId(), projectName(sim.memberProjectId())});
        }
        String self = userId == null ? sim.authUrl() + "/auth/projects" : sim.authUrl() + "/users/" + userId + "/projects";
        projectList(reply, self, projects, userId == null ? ProjectShape.SCOPE : ProjectShape.USER);
    }

    private List<String[]> allProjects() {
        List<String[]> projects = new ArrayList<>();
        projects.add(new String[] {SimCredentials.ADMIN_PROJECT_ID, SimCredentials.ADMIN_PROJECT});
        for (SimProject project : sim.cloud().projects()) {
            if (!project.id().equals(SimCredentials.ADMIN_PROJECT_ID)) {
                projects.add(new String[] {project.id(), project.name()});
            }
        }
        return projects;
    }

    /**
     * {@code GET /v3/domains} (admin: every domain) or {@code GET /v3/auth/domains} (the domains the user has a role
     * on: the admin's default domain; none for the member, whose role is on a project).
     */
    private void listDomains(HttpExchange exchange, Reply reply, boolean all) throws IOException {
        Optional<Tokens.Token> token = authenticated(exchange);
        if (token.isEmpty()) {
            unauthorized(reply);
            return;
        }
        boolean admin = token.get().hasRole("admin");
        if (all && !admin) {
            error(reply, 403, "Forbidden",
                    "You are not authorized to perform the requested action: identity:list_domains.");
            return;
        }
        String self = sim.authUrl() + (all ? "/domains" : "/auth/domains");
        reply.json(200, json -> {
            json.beginObject().key("domains").beginArray();
            if (admin) {
                json.beginObject().field("description", "The default domain").field("enabled", true)
                        .field("id", SimCredentials.DOMAIN_ID)
                        .key("links").beginObject().field("self", sim.authUrl() + "/domains/" + SimCredentials.DOMAIN_ID)
                        .endObject()
                        .field("name", SimCredentials.DOMAIN_NAME).key("options").beginObject().endObject()
                        .key("tags").beginArray().endArray().endObject();
            }
            json.endArray().key("links").beginObject()
                    .key("next").nullValue().key("previous").nullValue().field("self", self).endObject();
            json.endObject();
        });
    }

    /** The three project shapes of Keystone's samples: list (admin), auth scopes, a user's projects. */
    private enum ProjectShape { FULL, SCOPE, USER }

    private void projectList(Reply reply, String self, List<String[]> projects, ProjectShape shape)
            throws IOException {
        reply.json(200, json -> {
            json.beginObject().key("links").beginObject()
                    .key("next").nullValue().key("previous").nullValue().field("self", self).endObject();
            json.key("projects").beginArray();
            for (String[] project : projects) {
                json.beginObject();
                if (shape == ProjectShape.FULL) {
                    json.field("is_domain", false);
                }
                if (shape != ProjectShape.SCOPE) {
                    json.field("description", "");
                }
                json.field("domain_id", SimCredentials.DOMAIN_ID).field("enabled", true).field("id", project[0]);
                json.key("links").beginObject().field("self", sim.authUrl() + "/projects/" + project[0]).endObject();
                json.field("name", project[1]);
                if (shape != ProjectShape.SCOPE) {
                    json.field("parent_id", SimCredentials.DOMAIN_ID);
                }
                if (shape == ProjectShape.FULL) {
                    json.key("tags").beginArray().endArray();
                }
                json.endObject();
            }
            json.endArray().endObject();
        });
    }

    private Optional<Tokens.Token> authenticated(HttpExchange exchange) {
        return sim.tokens().valid(exchange.getRequestHeaders().getFirst("X-Auth-Token"), sim.clock().instant());
    }

    private static boolean hasParameter(HttpExchange exchange, String name) {
        return Query.parse(exchange.getRequestURI().getRawQuery()).stream().anyMatch(p -> p.name().equals(name));
    }

    private static String parameter(HttpExchange exchange, String name) {
        return Query.parse(exchange.getRequestURI().getRawQuery()).stream()
                .filter(p -> p.name().equals(name)).map(Query.Pair::value).reduce((a, b) -> b).orElse(null);
    }

    private void unauthorized(Reply reply) throws IOException {
        reply.header("WWW-Authenticate", "Keystone uri=\"" + sim.baseUrl() + "/identity\"");
        error(reply, 401, "Unauthorized", UNAUTHORIZED);
    }

    /** Keystone's (and keystonemiddleware's) error body. */
    static void error(Reply reply, int status, String title, String message) throws IOException {
        reply.json(status, json -> json.beginObject().key("error").beginObject()
                .field("code", status).field("title", title).field("message", message)
                .endObject().endObject());
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}

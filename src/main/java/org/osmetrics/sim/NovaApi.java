package org.osmetrics.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The simulated Nova under {@code /compute}: the version documents and {@code os-simple-tenant-usage}
 * (show and list) with Nova's semantics as described in {@code nova-usage-api.md} sections 1.1 to 1.9:
 * microversion negotiation, query validation, policy, date formats, the clamp of {@code end} to now,
 * paging (limit, marker, next link) from 2.40 and the silent cut at {@code max_limit} before it.
 */
final class NovaApi {
    private static final String USAGE = "os-simple-tenant-usage";
    private static final String SERVERS = "servers";
    private static final Set<String> LIST_PARAMETERS = Set.of("start", "end", "detailed", "limit", "marker");
    private static final Set<String> SHOW_PARAMETERS = Set.of("start", "end", "limit", "marker");
    private static final String DOCS = "http://docs.openstack.org/";

    private final SimServer sim;
    private final ServersApi servers;

    NovaApi(SimServer sim) {
        this.sim = sim;
        this.servers = new ServersApi(sim);
    }

    /** What the request addressed, after the compute prefix and version. */
    private record Target(String applicationPath, String urlProjectId, String tenantId) {
    }

    void handle(HttpExchange exchange, Reply reply) throws IOException {
        String requestId = "req-" + UUID.randomUUID();
        reply.header("x-openstack-request-id", requestId);
        reply.header("x-compute-request-id", requestId);
        String rawPath = exchange.getRequestURI().getRawPath();
        List<String> segments = new ArrayList<>(List.of(rawPath.substring("/compute".length()).split("/")));
        segments.removeIf(String::isEmpty);
        String firstRegion = sim.options().regions().get(0);
        String region = firstRegion;
        String endpointInterface = "public";
        if (segments.size() >= 2 && !segments.get(0).startsWith("v")) {
            region = segments.remove(0);
            endpointInterface = segments.remove(0);
            if (!sim.options().regions().contains(region) || !SimServer.INTERFACES.contains(endpointInterface)) {
                error(reply, 404, "The resource could not be found.", null);
                return;
            }
        }
        String host = sim.scheme() + Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                .orElse(sim.baseUrl().substring(sim.scheme().length()));
        String root = host + SimServer.computePrefix(region, endpointInterface, firstRegion);
        if (segments.isEmpty()) {
            versions(reply, root);
            return;
        }
        if (!segments.get(0).equals("v2.1")) {
            error(reply, 404, "The resource could not be found.", null);
            return;
        }
        segments.remove(0);
        if (segments.isEmpty()) {
            versionV21(reply, root);
            return;
        }
        Optional<Tokens.Token> token = sim.tokens().valid(
                exchange.getRequestHeaders().getFirst("X-Auth-Token"), sim.clock().instant());
        if (token.isEmpty()) {
            reply.header("WWW-Authenticate", "Keystone uri=\"" + sim.baseUrl() + "/identity\"");
            KeystoneApi.error(reply, 401, "Unauthorized", "The request you have made requires authentication.");
            return;
        }
        Microversion version;
        try {
            version = negotiate(exchange);
        } catch (IllegalArgumentException e) {
            error(reply, 400, e.getMessage(), null);
            return;
        }
        if (version.compareTo(sim.minMicroversion()) < 0 || version.compareTo(sim.maxMicroversion()) > 0) {
            error(reply, 406, "Version " + version + " is not supported by the API. Minimum is "
                    + sim.minMicroversion() + " and maximum is " + sim.maxMicroversion() + ".", null);
            return;
        }
        reply.header("OpenStack-API-Version", "compute " + version);
        reply.header("X-OpenStack-Nova-API-Version", version.toString());
        reply.header("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
        String urlProjectId = null;
        if (!segments.get(0).equals(USAGE) && !segments.get(0).equals(SERVERS)) {
            urlProjectId = segments.remove(0);
        }
        if (!segments.isEmpty() && segments.get(0).equals(SERVERS)) {
            if (urlProjectId != null && !urlProjectId.equals(token.get().projectId())) {
                error(reply, 400, "Malformed request URL: URL's project_id '" + urlProjectId
                        + "' doesn't match Context's project_id '" + token.get().projectId() + "'", null);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                error(reply, 405, "The method is not allowed for this resource.", null);
                return;
            }
            String applicationPath = root.substring(host.length()) + "/v2.1"
                    + (urlProjectId == null ? "" : "/" + urlProjectId);
            servers.handle(reply, token.get(), version, segments.subList(1, segments.size()),
                    Query.parse(exchange.getRequestURI().getRawQuery()), host, applicationPath);
            return;
        }
        if (segments.isEmpty() || !segments.get(0).equals(USAGE) || segments.size() > 2) {
            error(reply, 404, "The resource could not be found.", null);
            return;
        }
        if (urlProjectId != null && !urlProjectId.equals(token.get().projectId())) {
            error(reply, 400, "Malformed request URL: URL's project_id '" + urlProjectId
                    + "' doesn't match Context's project_id '" + token.get().projectId() + "'", null);
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            error(reply, 405, "The method is not allowed for this resource.", null);
            return;
        }
        Target target = new Target(root.substring(host.length()) + "/v2.1", urlProjectId,
                segments.size() == 2 ? segments.get(1) : null);
        List<Query.Pair> pairs = Query.parse(exchange.getRequestURI().getRawQuery());
        SimFaults.Fault fault = sim.faults().poll(SimFaults.Target.NOVA,
                version.atLeast(Microversion.PAGING) && Query.last(pairs, "marker") != null);
        SimFaults.Kind faultKind = fault == null ? null : fault.kind();
        if (faultKind == SimFaults.Kind.DELAY) {
            try {
                Thread.sleep(fault.duration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply.drop();
                return;
            }
        } else if (faultKind == SimFaults.Kind.REWRITE) {
            reply.rewriteBody(fault.rewrite());
        } else if (faultKind == SimFaults.Kind.STALL) {
            reply.stallBody(fault.duration());
        } else if (faultKind == SimFaults.Kind.RESET) {
            reply.drop();
            return;
        } else if (faultKind == SimFaults.Kind.FAIL) {
            if (fault.duration() != null) {
                reply.header("Retry-After", Long.toString(fault.duration().toSeconds()));
            }
            error(reply, fault.status(), injectedMessage(fault.status()), null);
            return;
        }
        String requestUrl = host + rawPath
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        new UsageRequest(reply, token.get(), version, target, pairs, host, requestUrl, faultKind).answer();
    }

    /** One usage call, from validated microversion and target to the streamed body. */
    private final class UsageRequest {
        private final Reply reply;
        private final Tokens.Token token;
        private final Microversion version;
        private final Target target;
        private final List<Query.Pair> pairs;
        private final String host;
        private final String requestUrl;
        private final SimFaults.Kind fault;

        UsageRequest(Reply reply, Tokens.Token token, Microversion version, Target target, List<Query.Pair> pairs,
                String host, String requestUrl, SimFaults.Kind fault) {
            this.reply = reply;
            this.token = token;
            this.version = version;
            this.target = target;
            this.pairs = pairs;
            this.host = host;
            this.requestUrl = requestUrl;
            this.fault = fault;
        }

        void answer() throws IOException {
            boolean show = target.tenantId() != null;
            boolean paging = version.atLeast(Microversion.PAGING);
            if (version.atLeast(Microversion.STRICT_QUERY)) {
                Set<String> allowed = show ? SHOW_PARAMETERS : LIST_PARAMETERS;
                for (Query.Pair pair : pairs) {
                    if (!allowed.contains(pair.name())) {
                        fail(400, "Invalid input for query parameters. Value: " + pair.name()
                                + ". Additional properties are not allowed ('" + pair.name() + "' was unexpected)");
                        return;
                    }
                }
            }
            String limitText = paging ? Query.last(pairs, "limit") : null;
            if (limitText != null && !limitText.matches("[0-9]+")) {
                fail(400, "Invalid input for query parameters limit. Value: " + limitText + ". '" + limitText
                        + "' does not match '^[0-9]*$'");
                return;
            }
            String marker = paging ? Query.last(pairs, "marker") : null;
            if (!allowed(show)) {
                fail(403, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:" + (show ? "show" : "list")
                        + " to be performed.");
                return;
            }
            Instant now = NovaTime.truncate(sim.clock().instant());
            Optional<Instant> start = dateOrNow(Query.first(pairs, "start"), now);
            Optional<Instant> end = dateOrNow(Query.first(pairs, "end"), now);
            if (start.isEmpty() || end.isEmpty()) {
                fail(400, "Invalid datetime string: Datetime is in invalid format");
                return;
            }
            if (!start.get().isBefore(end.get())) {
                fail(400, "Invalid start time. The start time cannot occur after the end time.");
                return;
            }
            Instant stop = end.get().isAfter(now) ? now : end.get();
            SimCloud cloud = sim.cloud();
            int maxLimit = sim.maxLimit();
            int requestedLimit = limitText == null ? maxLimit : clampedInt(limitText);
            int limit = Math.min(maxLimit, requestedLimit);
            int from = show ? cloud.firstPositionOf(target.tenantId()) : 0;
            int to = show ? cloud.endPositionOf(target.tenantId()) : cloud.size();
            if (marker != null) {
                int position = cloud.positionOf(marker);
                if (position < 0) {
                    fail(400, "Marker " + marker + " could not be found.");
                    return;
                }
                from = Math.max(from, position + 1);
            }
            Page page = new Page(cloud, from, to, start.get(), stop, now, limit);
            boolean detailed = show || "1".equals(Query.first(pairs, "detailed"));
            int linkAt = paging ? limit : 0;
            String linkMarker = fault == SimFaults.Kind.REPEAT_MARKER ? marker : null;
            reply.json(200, json -> {
                json.beginObject();
                if (show) {
                    json.key("tenant_usage");
                    if (page.peek() == null) {
                        json.beginObject().endObject();
                    } else {
                        page.writeTenant(json, true);
                    }
                } else {
                    json.key("tenant_usages").beginArray();
                    while (page.peek() != null) {
                        page.writeTenant(json, detailed);
                    }
                    json.endArray();
                }
                if (linkAt > 0 && page.rows() == linkAt) {
                    String next = linkMarker != null ? linkMarker : page.lastUuid();
                    json.key(show ? "tenant_usage_links" : "tenant_usages_links").beginArray()
                            .beginObject().field("rel", "next").field("href", nextHref(next)).endObject()
                            .endArray();
                }
                json.endObject();
            }, fault);
        }

        private boolean allowed(boolean show) {
            if (token.hasRole("admin")) {
                return true;
            }
            return show && token.hasRole("reader") && token.projectId().equals(target.tenantId());
        }

        /** Nova's {@code _get_next_link}: sorted request params, marker replaced (or appended). */
        private String nextHref(String marker) {
            List<Query.Pair> sorted = new ArrayList<>(pairs);
            sorted.sort(Comparator.comparing(Query.Pair::name).thenComparing(Query.Pair::value));
            Map<String, String> parameters = new LinkedHashMap<>();
            sorted.forEach(pair -> parameters.put(pair.name(), pair.value()));
            parameters.put("marker", marker);
            StringBuilder url = new StringBuilder(host).append(target.applicationPath());
            if (requestUrl.contains(token.projectId())) {
                url.append('/').append(token.projectId());
            }
            url.append('/').append(USAGE);
            if (target.tenantId() != null) {
                url.append('/').append(target.tenantId());
            }
            return url.append('?').append(Query.encode(parameters)).toString();
        }

        private void fail(int status, String message) throws IOException {
            error(reply, status, message, fault);
        }
    }

    /** The rows of one page, read forward from the marker, and how they are written. */
    private static final class Page {
        private final SimCloud cloud;
        private final int to;
        private final Instant start;
        private final Instant stop;
        private final Instant now;
        private final int limit;
        private int position;
        private int rows;
        private SimInstance next;
        private String lastUuid;

        Page(SimCloud cloud, int from, int to, Instant start, Instant stop, Instant now, int limit) {
            this.cloud = cloud;
            this.position = from;
            this.to = to;
            this.start = start;
            this.stop = stop;
            this.now = now;
            this.limit = limit;
            advance();
        }

        SimInstance peek() {
            return next;
        }

        int rows() {
            return rows;
        }

        String lastUuid() {
            return lastUuid;
        }

        private SimInstance take() {
            SimInstance row = next;
            rows++;
            lastUuid = row.uuid();
            advance();
            return row;
        }

        private void advance() {
            next = null;
            if (rows >= limit) {
                return;
            }
            while (position < to) {
                SimInstance candidate = cloud.asOf(position++, now);
                if (NovaUsage.counted(candidate, start, stop)) {
                    next = candidate;
                    return;
                }
            }
        }

        /** One tenant object: this tenant's consecutive rows, totals summed as doubles in row order. */
        void writeTenant(PyJson json, boolean detailed) {
            String tenantId = next.projectId();
            json.beginObject().field("tenant_id", tenantId);
            if (detailed) {
                json.key("server_usages").beginArray();
            }
            double localGb = 0;
            double vcpus = 0;
            double memoryMb = 0;
            double hours = 0;
            while (next != null && next.projectId().equals(tenantId)) {
                SimInstance row = take();
                double rowHours = NovaUsage.hours(row, start, stop);
                SimFlavor flavor = row.flavor();
                if (detailed) {
                    json.beginObject()
                            .field("hours", rowHours)
                            .field("flavor", flavor.name())
                            .field("instance_id", row.uuid())
                            .field("name", row.name())
                            .field("tenant_id", row.projectId())
                            .field("memory_mb", flavor.memoryMb())
                            .field("local_gb", flavor.localGb())
                            .field("vcpus", flavor.vcpus())
                            .key("started_at").novaTime(row.launchedAt())
                            .key("ended_at").novaTime(row.terminatedAt())
                            .field("state", row.usageState())
                            .field("uptime", NovaUsage.uptime(row, now))
                            .endObject();
                }
                localGb += flavor.localGb() * rowHours;
                vcpus += flavor.vcpus() * rowHours;
                memoryMb += flavor.memoryMb() * rowHours;
                hours += rowHours;
            }
            if (detailed) {
                json.endArray();
            }
            json.field("total_local_gb_usage", localGb)
                    .field("total_vcpus_usage", vcpus)
                    .field("total_memory_mb_usage", memoryMb)
                    .field("total_hours", hours)
                    .key("start").novaTime(start)
                    .key("stop").novaTime(stop)
                    .endObject();
        }
    }

    private Microversion negotiate(HttpExchange exchange) {
        String requested = null;
        String header = exchange.getRequestHeaders().getFirst("OpenStack-API-Version");
        if (header != null) {
            for (String entry : header.split(",")) {
                String[] parts = entry.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equalsIgnoreCase("compute")) {
                    requested = parts[1];
                }
            }
        }
        if (requested == null) {
            requested = exchange.getRequestHeaders().getFirst("X-OpenStack-Nova-API-Version");
        }
        if (requested == null) {
            return Microversion.V2_1;
        }
        if (requested.trim().equalsIgnoreCase("latest")) {
            return sim.maxMicroversion();
        }
        return Microversion.parse(requested.trim());
    }

    private void versions(Reply reply, String root) throws IOException {
        reply.json(200, json -> {
            json.beginObject().key("versions").beginArray();
            json.beginObject().field("id", "v2.0").key("links").beginArray()
                    .beginObject().field("href", root + "/v2/").field("rel", "self").endObject().endArray()
                    .field("status", "DEPRECATED").field("version", "").field("min_version", "")
                    .field("updated", "2025-07-04T12:00:00Z").endObject();
            json.beginObject().field("id", "v2.1").key("links").beginArray()
                    .beginObject().field("href", root + "/v2.1/").field("rel", "self").endObject().endArray()
                    .field("status", "CURRENT").field("version", sim.maxMicroversion().toString())
                    .field("min_version", sim.minMicroversion().toString())
                    .field("updated", "2013-07-23T11:33:21Z").endObject();
            json.endArray().endObject();
        });
    }

    private void versionV21(Reply reply, String root) throws IOException {
        reply.json(200, json -> json.beginObject().key("version").beginObject()
                .field("id", "v2.1")
                .key("links").beginArray()
                .beginObject().field("href", root + "/v2.1/").field("rel", "self").endObject()
                .beginObject().field("href", DOCS).field("rel", "describedby").field("type", "text/html").endObject()
                .endArray()
                .key("media-types").beginArray()
                .beginObject().field("base", "application/json")
                .field("type", "application/vnd.openstack.compute+json;version=2.1").endObject()
                .endArray()
                .field("status", "CURRENT")
                .field("version", sim.maxMicroversion().toString())
                .field("min_version", sim.minMicroversion().toString())
                .field("updated", "2013-07-23T11:33:21Z")
                .endObject().endObject());
    }

    private static Optional<Instant> dateOrNow(String text, Instant now) {
        return text == null ? Optional.of(now) : NovaTime.parse(text);
    }

    private static int clampedInt(String digits) {
        BigInteger value = new BigInteger(digits);
        return value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : value.intValue();
    }

    private static String injectedMessage(int status) {
        return status >= 500
                ? "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the "
                        + "Nova API log if possible.\n<class 'nova.exception.OrphanedObjectError'>"
                : "Injected failure of the simulated Nova.";
    }

    /** Nova's fault body, {@code {"badRequest": {"code": 400, "message": "..."}}} and friends. */
    static void error(Reply reply, int status, String message, SimFaults.Kind fault) throws IOException {
        reply.json(status, json -> json.beginObject().key(faultName(status)).beginObject()
                .field("code", status).field("message", message).endObject().endObject(), fault);
    }

    private static String faultName(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413, 429 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> "computeFault";
        };
    }
}

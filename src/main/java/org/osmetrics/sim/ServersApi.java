package org.osmetrics.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated Nova's servers: the plain list {@code GET /servers} ({@code all_tenants}, {@code changes-since}
 * with deleted servers included, {@code limit}/{@code marker} paging with {@code servers_links}) and the
 * instance actions {@code GET /servers/{id}/os-instance-actions[/{request_id}]} with the formats of each
 * microversion (deleted servers from 2.21, {@code updated_at}, paging and {@code changes-since} from 2.58,
 * events for everyone from 2.51, {@code host}/{@code hostId} from 2.62, {@code details} from 2.84), as in
 * {@code nova-instance-actions.md}. Everything is seen as of the clock's "now".
 */
final class ServersApi {
    private final SimServer sim;

    ServersApi(SimServer sim) {
        this.sim = sim;
    }

    /** One request under {@code /servers}: {@code rest} are the path segments after {@code servers}. */
    void handle(Reply reply, Tokens.Token token, Microversion version, List<String> rawRest, List<Query.Pair> pairs,
            String host, String applicationPath) throws IOException {
        List<String> rest = rawRest.stream()
                .map(segment -> java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
        Instant now = NovaTime.truncate(sim.clock().instant());
        if (rest.isEmpty()) {
            list(reply, token, pairs, host, applicationPath, now);
        } else if (rest.size() >= 2 && rest.get(1).equals("os-instance-actions") && rest.size() <= 3) {
            if (sim.instanceActionsForbidden()) {
                NovaApi.error(reply, 403, "Policy doesn't allow os_compute_api:os-instance-actions:"
                        + (rest.size() == 2 ? "list" : "show") + " to be performed.", null);
                return;
            }
            SimCloud cloud = sim.cloud();
            Optional<SimInstance> server = visibleServer(cloud, token, version, rest.get(0), now);
            if (server.isEmpty()) {
                NovaApi.error(reply, 404, "Instance " + rest.get(0) + " could not be found.", null);
                return;
            }
            if (rest.size() == 2) {
                actions(reply, cloud, version, server.get(), pairs, host, applicationPath, now);
            } else {
                action(reply, cloud, token, version, server.get(), rest.get(2), now);
            }
        } else {
            NovaApi.error(reply, 404, "The resource could not be found.", null);
        }
    }

    private void list(Reply reply, Tokens.Token token, List<Query.Pair> pairs, String host, String applicationPath,
            Instant now) throws IOException {
        boolean admin = token.hasRole("admin");
        String allTenants = Query.last(pairs, "all_tenants");
        boolean all = allTenants != null && !allTenants.equalsIgnoreCase("0") && !allTenants.equalsIgnoreCase("false");
        if (all && (!admin || sim.instanceActionsForbidden())) {
            NovaApi.error(reply, 403, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be "
                    + "performed.", null);
            return;
        }
        String changesText = Query.first(pairs, "changes-since");
        Instant changesSince = null;
        if (changesText != null) {
            Optional<Instant> parsed = parseIso(changesText);
            if (parsed.isEmpty()) {
                NovaApi.error(reply, 400, "Invalid input for query parameters changes-since. Value: " + changesText
                        + ". '" + changesText + "' is not a 'date-time'", null);
                return;
            }
            changesSince = parsed.get();
        }
        String limitText = Query.last(pairs, "limit");
        if (limitText != null && !limitText.matches("[0-9]+")) {
            NovaApi.error(reply, 400, "Invalid input for query parameters limit. Value: " + limitText + ". '"
                    + limitText + "' does not match '^[0-9]*$'", null);
            return;
        }
        int limit = limitText == null ? sim.maxLimit() : (int) Math.min(sim.maxLimit(), Long.parseLong(
                limitText.length() > 9 ? "999999999" : limitText));
        String marker = Query.last(pairs, "marker");
        SimCloud cloud = sim.cloud();
        String projectFilter = all ? Query.first(pairs, "project_id") : token.projectId();
        if (projectFilter == null && all) {
            projectFilter = Query.first(pairs, "tenant_id");
        }
        int from = projectFilter == null ? 0 : cloud.firstPositionOf(projectFilter);
        int to = projectFilter == null ? cloud.size() : cloud.endPositionOf(projectFilter);
        if (marker != null) {
            int position = cloud.positionOf(marker);
            if (position < 0) {
                NovaApi.error(reply, 400, "marker [" + marker + "] not found", null);
                return;
            }
            from = Math.max(from, position + 1);
        }
        List<SimInstance> page = new ArrayList<>();
        for (int position = from; position < to && page.size() < limit; position++) {
            SimInstance server = cloud.asOf(position, now);
            if (!cloud.existsAt(server, now)) {
                continue;
            }
            boolean deleted = server.terminatedAt() != null;
            if (changesSince == null ? deleted : updatedBefore(cloud, server, changesSince, now)) {
                continue;
            }
            page.add(server);
        }
        String root = host + applicationPath;
        reply.json(200, json -> {
            json.beginObject().key("servers").beginArray();
            for (SimInstance server : page) {
                json.beginObject().field("id", server.uuid()).field("name", server.name())
                        .key("links").beginArray()
                        .beginObject().field("rel", "self").field("href", root + "/servers/" + server.uuid()).endObject()
                        .beginObject().field("rel", "bookmark")
                        .field("href", host + applicationPath.replace("/v2.1", "") + "/servers/" + server.uuid())
                        .endObject()
                        .endArray().endObject();
            }
            json.endArray();
            if (limit > 0 && page.size() == limit) {
                json.key("servers_links").beginArray().beginObject().field("rel", "next")
                        .field("href", nextHref(root + "/servers", pairs, page.get(page.size() - 1).uuid()))
                        .endObject().endArray();
            }
            json.endObject();
        });
    }

    private static boolean updatedBefore(SimCloud cloud, SimInstance server, Instant since, Instant now) {
        Instant updated = cloud.updatedAt(server, now);
        return updated == null || updated.isBefore(since);
    }

    /**
     * The server as the caller may see it at {@code now}: a server of another project is unknown to a
     * non-admin, a deleted one is unknown below 2.21, one not created yet is unknown.
     */
    private Optional<SimInstance> visibleServer(SimCloud cloud, Tokens.Token token, Microversion version,
            String uuid, Instant now) {
        int position = cloud.positionOf(uuid);
        if (position < 0) {
            return Optional.empty();
        }
        SimInstance server = cloud.asOf(position, now);
        if (!cloud.existsAt(server, now)) {
            return Optional.empty();
        }
        if (!token.hasRole("admin") && !server.projectId().equals(token.projectId())) {
            return Optional.empty();
        }
        if (server.terminatedAt() != null && !version.atLeast(Microversion.DELETED_ACTIONS)) {
            return Optional.empty();
        }
        return Optional.of(server);
    }

    private void actions(Reply reply, SimCloud cloud, Microversion version, SimInstance server,
            List<Query.Pair> pairs, String host, String applicationPath, Instant now) throws IOException {
        List<SimAction> newestFirst = new ArrayList<>(cloud.actionsAsOf(server.uuid(), now));
        newestFirst.sort(Comparator.comparing(SimAction::start).thenComparing(SimAction::requestId).reversed());
        boolean paging = version.atLeast(Microversion.ACTION_PAGING);
        int limit = Integer.MAX_VALUE;
        boolean linked = false;
        if (paging) {
            String changesText = Query.first(pairs, "changes-since");
            if (changesText != null) {
                Optional<Instant> since = parseIso(changesText);
                if (since.isEmpty()) {
                    NovaApi.error(reply, 400, "Invalid input for query parameters changes-since. Value: "
                            + changesText + ". '" + changesText + "' is not a 'date-time'", null);
                    return;
                }
                newestFirst.removeIf(action -> action.updatedAsOf(now).isBefore(since.get()));
            }
            String marker = Query.last(pairs, "marker");
            if (marker != null) {
                int at = -1;
                for (int i = 0; i < newestFirst.size(); i++) {
                    if (newestFirst.get(i).requestId().equals(marker)) {
                        at = i;
                    }
                }
                if (at < 0) {
                    NovaApi.error(reply, 400, "Marker " + marker + " could not be found.", null);
                    return;
                }
                newestFirst = new ArrayList<>(newestFirst.subList(at + 1, newestFirst.size()));
            }
            String limitText = Query.last(pairs, "limit");
            if (limitText != null && !limitText.matches("[0-9]+")) {
                NovaApi.error(reply, 400, "Invalid input for query parameters limit. Value: " + limitText + ". '"
                        + limitText + "' does not match '^[0-9]*$'", null);
                return;
            }
            limit = limitText == null ? sim.maxLimit()
                    : (int) Math.min(sim.maxLimit(), Long.parseLong(limitText.length() > 9 ? "999999999" : limitText));
            if (newestFirst.size() > limit) {
                newestFirst = new ArrayList<>(newestFirst.subList(0, limit));
            }
            linked = limit > 0 && newestFirst.size() == limit;
        }
        List<SimAction> page = newestFirst;
        boolean withLink = linked;
        String href = withLink ? nextHref(host + applicationPath + "/servers/" + server.uuid()
                + "/os-instance-actions", pairs, page.get(page.size() - 1).requestId()) : null;
        reply.json(200, json -> {
            json.beginObject().key("instanceActions").beginArray();
            for (SimAction action : page) {
                json.beginObject();
                actionFields(json, action, version, now);
                json.endObject();
            }
            json.endArray();
            if (withLink) {
                json.key("links").beginArray().beginObject().field("rel", "next").field("href", href)
                        .endObject().endArray();
            }
            json.endObject();
        });
    }

    private void action(Reply reply, SimCloud cloud, Tokens.Token token, Microversion version, SimInstance server,
            String requestId, Instant now) throws IOException {
        SimAction found = cloud.actionsAsOf(server.uuid(), now).stream()
                .filter(action -> action.requestId().equals(requestId)).findFirst().orElse(null);
        if (found == null) {
            NovaApi.error(reply, 404, "Action " + requestId + " on instance " + server.uuid()
                    + " could not be found.", null);
            return;
        }
        boolean admin = token.hasRole("admin");
        boolean events = admin || version.atLeast(Microversion.EVENTS_FOR_ALL);
        reply.json(200, json -> {
            json.beginObject().key("instanceAction").beginObject();
            actionFields(json, found, version, now);
            if (events) {
                json.key("events").beginArray();
                for (SimEvent event : found.eventsAsOf(now)) {
                    Instant finish = event.finishAsOf(now);
                    json.beginObject().field("event", event.name())
                            .key("start_time").novaTime(event.start())
                            .key("finish_time").novaTime(finish)
                            .field("result", finish == null ? null : event.result());
                    if (admin) {
                        json.key("traceback").nullValue();
                    }
                    if (version.atLeast(Microversion.EVENT_HOST)) {
                        if (admin) {
                            json.field("host", event.host());
                        }
                        json.field("hostId", hostId(found.projectId(), event.host()));
                    }
                    if (version.atLeast(Microversion.EVENT_DETAILS)) {
                        json.key("details").nullValue();
                    }
                    json.endObject();
                }
                json.endArray();
            }
            json.endObject().endObject();
        });
    }

    private static void actionFields(PyJson json, SimAction action, Microversion version, Instant now) {
        json.field("action", action.action())
                .field("instance_uuid", action.instanceUuid())
                .field("request_id", action.requestId())
                .field("user_id", action.userId())
                .field("project_id", action.projectId())
                .key("start_time").novaTime(action.start())
                .field("message", action.messageAsOf(now));
        if (version.atLeast(Microversion.ACTION_PAGING)) {
            json.key("updated_at").novaTime(action.updatedAsOf(now));
        }
    }

    /** Nova's {@code hostId}: sha224 of the project id and the host, in hex. */
    static String hostId(String projectId, String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-224")
                    .digest((projectId + host).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-224 is missing from this JVM", e);
        }
    }

    /** Nova's {@code _get_next_link}: the request's parameters sorted, the marker replaced (or appended). */
    private static String nextHref(String base, List<Query.Pair> pairs, String marker) {
        List<Query.Pair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing(Query.Pair::name).thenComparing(Query.Pair::value));
        Map<String, String> parameters = new LinkedHashMap<>();
        sorted.forEach(pair -> parameters.put(pair.name(), pair.value()));
        parameters.put("marker", marker);
        return base + "?" + Query.encode(parameters);
    }

    /**
     * An ISO 8601 time as Nova's {@code changes-since} takes it: with a zone ({@code Z} or an offset) or without
     * (UTC), fractions allowed.
     */
    static Optional<Instant> parseIso(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return NovaTime.parse(text);
        }
    }
}

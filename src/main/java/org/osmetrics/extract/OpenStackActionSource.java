package org.osmetrics.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osmetrics.OsMetricsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's instance actions over an {@link OpenStackUsageSource}'s connection: the same token (renewed on 401),
 * endpoint, retries and microversion negotiation (the forced OS_COMPUTE_API_VERSION, else the highest of the
 * cloud up to 2.58, where action lists gain paging and {@code changes-since}; deleted servers need 2.21, events
 * for non-admins 2.51). Not thread-safe, like its source.
 */
final class OpenStackActionSource implements ActionSource {
    private static final Logger LOG = LoggerFactory.getLogger(OpenStackActionSource.class);
    static final int ACTION_PAGING = 58;
    static final int DELETED_SERVERS = 21;
    /** The compute endpoints already told to have unpaged action lists (said once per process). */
    private static final Set<String> UNPAGED_SAID = ConcurrentHashMap.newKeySet();

    private final OpenStackUsageSource connection;
    private final String microversion;

    OpenStackActionSource(OpenStackUsageSource connection) {
        this.connection = connection;
        String forced = connection.forcedMicroversion();
        int max = connection.maxMinor();
        this.microversion = forced != null ? forced : "2." + Math.max(1, Math.min(max, ACTION_PAGING));
        int minor = OpenStackUsageSource.minor(microversion);
        if (minor < ACTION_PAGING && UNPAGED_SAID.add(connection.computeUrl().toString())) {
            LOG.warn("the compute API at {} is read at microversion {}: below 2.58 a server's action list is unpaged "
                    + "and has no changes-since, so each changed server's whole list is read{}", connection.computeUrl(),
                    microversion, minor < DELETED_SERVERS ? "; below 2.21 deleted servers' actions are not readable" : "");
        }
    }

    @Override
    public String actionMicroversion() {
        return microversion;
    }

    @Override
    public boolean pagedActions() {
        return OpenStackUsageSource.minor(microversion) >= ACTION_PAGING;
    }

    @Override
    public List<ChangedServer> changedServers(Scope scope, Instant since) {
        List<ChangedServer> servers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> markers = new HashSet<>();
        String marker = null;
        do {
            StringBuilder url = new StringBuilder(connection.computeUrl().toString()).append("/servers?");
            if (scope.isAllProjects()) {
                url.append("all_tenants=1&");
            } else if (!scope.projectId().equals(connection.scopedProjectId())) {
                url.append("all_tenants=1&project_id=").append(encode(scope.projectId())).append('&');
            }
            url.append("changes-since=").append(encode(since.truncatedTo(ChronoUnit.SECONDS).toString()))
                    .append("&limit=").append(connection.pageSize());
            if (marker != null) {
                url.append("&marker=").append(encode(marker));
            }
            HttpTransport.Response response = connection.novaGet(URI.create(url.toString()), microversion);
            check(response, "the list of servers changed since " + since);
            JsonNode root = KeystoneClient.readJson(response);
            JsonNode list = root.get("servers");
            if (list == null || !list.isArray()) {
                throw OsMetricsException.source("Nova's answer to " + response.url() + " has no 'servers' list", null);
            }
            for (JsonNode server : list) {
                String id = server.path("id").asText(null);
                if (id == null || id.isEmpty()) {
                    throw OsMetricsException.source("a server without an id in " + response.url(), null);
                }
                if (seen.add(id)) {
                    servers.add(new ChangedServer(id, server.path("name").asText(null)));
                }
            }
            marker = nextMarker(root.path("servers_links"));
            if (marker != null && !markers.add(marker)) {
                throw OsMetricsException.source("Nova's next link repeats marker " + marker + " (at " + response.url()
                        + "): paging would loop; stopping", null);
            }
        } while (marker != null);
        return servers;
    }

    @Override
    public ServerActions serverActions(String instanceId, Instant since, KnownActions known) {
        boolean paged = pagedActions();
        List<InstanceAction> newestFirst = new ArrayList<>();
        Set<String> markers = new HashSet<>();
        String marker = null;
        String base = connection.computeUrl() + "/servers/" + encode(instanceId) + "/os-instance-actions";
        do {
            StringBuilder url = new StringBuilder(base);
            if (paged) {
                url.append("?limit=").append(connection.pageSize());
                if (since != null) {
                    url.append("&changes-since=").append(encode(since.truncatedTo(ChronoUnit.SECONDS).toString()));
                }
                if (marker != null) {
                    url.append("&marker=").append(encode(marker));
                }
            }
            HttpTransport.Response response = connection.novaGet(URI.create(url.toString()), microversion);
            if (response.status() == 404) {
                return ServerActions.unknown(instanceId);
            }
            check(response, "the actions of server " + instanceId);
            JsonNode root = KeystoneClient.readJson(response);
            JsonNode list = root.get("instanceActions");
            if (list == null || !list.isArray()) {
                throw OsMetricsException.source("Nova's answer to " + response.url() + " has no 'instanceActions' list",
                        null);
            }
            for (JsonNode action : list) {
                newestFirst.add(action(instanceId, action, response.url()));
            }
            marker = paged ? nextMarker(root.path("links")) : null;
            if (marker != null && !markers.add(marker)) {
                throw OsMetricsException.source("Nova's next link repeats marker " + marker + " (at " + response.url()
                        + "): paging would loop; stopping", null);
            }
        } while (marker != null);
        List<InstanceAction> oldestFirst = new ArrayList<>(newestFirst.size());
        for (InstanceAction action : newestFirst) {
            if (STATE_ACTIONS.contains(action.action()) && !known.finished(action.requestId())) {
                InstanceAction withEvents = events(instanceId, action);
                if (withEvents == null) {
                    return ServerActions.unknown(instanceId); // archived between the two calls
                }
                action = withEvents;
            }
            oldestFirst.add(action);
        }
        oldestFirst.sort(Comparator.comparing(InstanceAction::startTime, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new ServerActions(instanceId, oldestFirst, false);
    }

    /** The action with its events, or null when Nova answers 404. */
    private InstanceAction events(String instanceId, InstanceAction action) {
        URI url = URI.create(connection.computeUrl() + "/servers/" + encode(instanceId) + "/os-instance-actions/"
                + encode(action.requestId()));
        HttpTransport.Response response = connection.novaGet(url, microversion);
        if (response.status() == 404) {
            return null;
        }
        check(response, "the events of action " + action.requestId() + " of server " + instanceId);
        JsonNode node = KeystoneClient.readJson(response).path("instanceAction");
        JsonNode events = node.get("events");
        if (events == null || !events.isArray()) {
            return action; // events hidden from this user below 2.51: the action as listed
        }
        List<ActionEvent> read = new ArrayList<>();
        for (JsonNode event : events) {
            read.add(new ActionEvent(event.path("event").asText(null), time(event, "start_time", response.url()),
                    time(event, "finish_time", response.url()), text(event, "result")));
        }
        InstanceAction fresh = action(instanceId, node, response.url());
        return fresh.withEvents(read);
    }

    private static InstanceAction action(String instanceId, JsonNode node, String url) {
        String requestId = text(node, "request_id");
        if (requestId == null) {
            throw OsMetricsException.source("an instance action without request_id in " + url, null);
        }
        return new InstanceAction(instanceId, requestId, text(node, "action"), text(node, "project_id"),
                text(node, "user_id"), time(node, "start_time", url), time(node, "updated_at", url),
                text(node, "message"), List.of(), false);
    }

    private void check(HttpTransport.Response response, String what) {
        int status = response.status();
        if (status == 200) {
            return;
        }
        String nova = KeystoneClient.errorText(response);
        if (status == 403) {
            throw new NoTimelineRight("Nova refused " + what + " to " + connection.principal() + " (HTTP 403" + nova
                    + ")");
        }
        throw OsMetricsException.source("Nova answered HTTP " + status + " for " + response.url() + nova, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field, String url) {
        String value = text(node, field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return NovaTime.parse(value.endsWith("Z") ? value.substring(0, value.length() - 1) : value);
        } catch (DateTimeParseException e) {
            throw OsMetricsException.source("unreadable " + field + " '" + value + "' in " + url, e);
        }
    }

    /** The {@code marker} of a {@code rel=next} link, or null when there is no next page. */
    private static String nextMarker(JsonNode links) {
        for (JsonNode link : links) {
            if ("next".equals(link.path("rel").asText())) {
                String href = link.path("href").asText("");
                int query = href.indexOf('?');
                if (query >= 0) {
                    for (String pair : href.substring(query + 1).split("&")) {
                        if (pair.startsWith("marker=")) {
                            return URLDecoder.decode(pair.substring("marker=".length()), StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

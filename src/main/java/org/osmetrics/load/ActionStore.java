package org.osmetrics.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.ActionEvent;
import org.osmetrics.extract.ActionSource;
import org.osmetrics.extract.InstanceAction;
import org.osmetrics.extract.ServerActions;

/**
 * The instance actions os-metrics has read ({@code metrics.instance_action}, V107) and the timeline extraction
 * state of each scope ({@code metrics.timeline_extraction}): a run reads only what changed, the store gives the
 * whole history back. Thread-safe (each call its own handle).
 */
public final class ActionStore {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is remembered of a scope's timeline extractions. */
    public record State(Instant changesSince, Instant extractedAt, Instant noRightSince, String noRightReason) {
        static final State NONE = new State(null, null, null, null);
    }

    private final Jdbi jdbi;

    public ActionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores the actions read (new ones added, known ones updated; events already read are kept). */
    public void store(Cloud cloud, List<ServerActions> servers, Instant readAt) {
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(SQL.locate(ActionStore.class, "upsertAction"));
            int rows = 0;
            for (ServerActions server : servers) {
                for (InstanceAction action : server.actions()) {
                    batch.bind("cloud", cloud.cloudId())
                            .bind("instance", server.instanceId())
                            .bind("request", action.requestId())
                            .bind("action", action.action() == null ? "" : action.action())
                            .bind("project", action.projectId())
                            .bind("user", action.userId())
                            .bind("start", action.startTime())
                            .bind("updated", action.updatedAt())
                            .bind("message", action.message())
                            .bind("events", eventsJson(action.events()))
                            .bind("eventsRead", action.eventsRead())
                            .bind("readAt", readAt)
                            .add();
                    rows++;
                }
            }
            if (rows > 0) {
                batch.execute();
            }
        });
    }

    /** Every stored action of a server, oldest first (not unknown to Nova: the store has what was read). */
    public ServerActions read(Cloud cloud, String instanceId) {
        return read(cloud, List.of(instanceId)).get(instanceId);
    }

    /**
     * Every stored action of each server, oldest first, by instance id (a server with none stored has an empty
     * list). Instance ids must be UUIDs, as Nova's are.
     */
    public Map<String, ServerActions> read(Cloud cloud, Collection<String> instanceIds) {
        Map<String, List<InstanceAction>> byServer = new LinkedHashMap<>();
        instanceIds.forEach(id -> byServer.put(id, new ArrayList<>()));
        Map<String, String> canonical = canonical(instanceIds);
        jdbi.useHandle(handle -> handle.createQuery(SQL.locate(ActionStore.class, "serverActions"))
                .bind("cloud", cloud.cloudId())
                .bindArray("instances", String.class, List.copyOf(canonical.keySet()))
                .map((rs, ctx) -> {
                    String instanceId = canonical.get(rs.getString("instance_id"));
                    return new InstanceAction(instanceId, rs.getString("request_id"), rs.getString("action"),
                            rs.getString("project_id"), rs.getString("user_id"), instant(rs, "start_time"),
                            instant(rs, "updated_at"), rs.getString("message"), events(rs.getString("events")),
                            rs.getBoolean("events_read"));
                })
                .forEach(action -> byServer.get(action.instanceId()).add(action)));
        Map<String, ServerActions> servers = new LinkedHashMap<>();
        byServer.forEach((id, actions) -> servers.put(id, new ServerActions(id, actions, false)));
        return servers;
    }

    /** The server's actions whose events were read and had all finished (not asked for again). */
    public ActionSource.KnownActions known(Cloud cloud, String instanceId) {
        return known(cloud, List.of(instanceId)).get(instanceId);
    }

    /** As {@link #known(Cloud, String)}, for each of some servers. */
    public Map<String, ActionSource.KnownActions> known(Cloud cloud, Collection<String> instanceIds) {
        Map<String, Set<String>> finished = new HashMap<>();
        instanceIds.forEach(id -> finished.put(id, new HashSet<>()));
        Map<String, String> canonical = canonical(instanceIds);
        jdbi.useHandle(handle -> handle.createQuery(SQL.locate(ActionStore.class, "finishedActions"))
                .bind("cloud", cloud.cloudId())
                .bindArray("instances", String.class, List.copyOf(canonical.keySet()))
                .map((rs, ctx) -> Map.entry(canonical.get(rs.getString("instance_id")), rs.getString("request_id")))
                .forEach(entry -> finished.get(entry.getKey()).add(entry.getValue())));
        Map<String, ActionSource.KnownActions> known = new HashMap<>();
        finished.forEach((id, requests) -> known.put(id, requests::contains));
        return known;
    }

    /** PostgreSQL's text of each UUID (lower case) to the id as given. */
    private static Map<String, String> canonical(Collection<String> instanceIds) {
        Map<String, String> canonical = new HashMap<>();
        for (String id : instanceIds) {
            try {
                canonical.put(UUID.fromString(id).toString(), id);
            } catch (IllegalArgumentException e) {
                throw OsMetricsException.source("instance id " + id + " is not a UUID: Nova's ids are", e);
            }
        }
        return canonical;
    }

    public State state(Cloud cloud, String scope) {
        Optional<State> state = jdbi.withHandle(handle -> handle.createQuery(SQL.locate(ActionStore.class, "state"))
                .bind("cloud", cloud.cloudId())
                .bind("scope", scope)
                .map((rs, ctx) -> new State(instant(rs, "changes_since"), instant(rs, "extracted_at"),
                        instant(rs, "no_right_since"), rs.getString("no_right_reason")))
                .findOne());
        return state.orElse(State.NONE);
    }

    public void recordNoRight(Cloud cloud, String scope, String reason, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate(SQL.locate(ActionStore.class, "recordNoRight"))
                .bind("cloud", cloud.cloudId()).bind("scope", scope).bind("reason", reason).bind("at", at)
                .execute());
    }

    /** A success: {@code changesSince} null keeps the stored one. */
    public void recordSuccess(Cloud cloud, String scope, Instant changesSince, Instant at, int servers) {
        jdbi.useHandle(handle -> handle.createUpdate(SQL.locate(ActionStore.class, "recordSuccess"))
                .bind("cloud", cloud.cloudId()).bind("scope", scope).bind("changesSince", changesSince)
                .bind("at", at).bind("servers", servers)
                .execute());
    }

    public void recordError(Cloud cloud, String scope, String error, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate(SQL.locate(ActionStore.class, "recordError"))
                .bind("cloud", cloud.cloudId()).bind("scope", scope).bind("error", error).bind("at", at)
                .execute());
    }

    static String eventsJson(List<ActionEvent> events) {
        ArrayNode array = JSON.createArrayNode();
        for (ActionEvent event : events) {
            ObjectNode node = array.addObject();
            node.put("event", event.name());
            node.put("start_time", event.startTime() == null ? null : event.startTime().toString());
            node.put("finish_time", event.finishTime() == null ? null : event.finishTime().toString());
            node.put("result", event.result());
        }
        return array.toString();
    }

    static List<ActionEvent> events(String json) {
        try {
            List<ActionEvent> events = new ArrayList<>();
            for (JsonNode node : JSON.readTree(json)) {
                events.add(new ActionEvent(text(node, "event"), time(node, "start_time"), time(node, "finish_time"),
                        text(node, "result")));
            }
            return events;
        } catch (JsonProcessingException e) {
            throw OsMetricsException.database("unreadable events in metrics.instance_action: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

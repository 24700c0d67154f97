package org.osmetrics.load;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.osmetrics.extract.ServerActions;
import org.osmetrics.transform.Anomaly;
import org.osmetrics.transform.DroppedHours;
import org.osmetrics.transform.KnownServer;
import org.osmetrics.transform.KnownServer.KnownFlavor;
import org.osmetrics.transform.ServerTimeline;
import org.osmetrics.transform.StateInterval;
import org.osmetrics.transform.TimelineProblem;
import org.osmetrics.transform.Timelines;

/**
 * Stores server timelines (issue #15; README, "Usage as it ran"): for each server its intervals are replaced
 * whole (loading the same actions twice gives the same rows), its problems become anomaly rows (replacing those of
 * its earlier timeline), and the hours Nova dropped when launched_at was reset are recovered where os-metrics holds
 * no fact of the server for an extracted window (metrics.recovered_usage). A server whose actions answer 404 keeps
 * what was recorded. One transaction per call; each call is one row of metrics.timeline_load (status, metrics
 * file). Thread-safe (stateless over Jdbi); a cloud's loads are serialised by {@link RunLock}.
 */
public final class TimelineLoader {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private final Jdbi jdbi;

    public TimelineLoader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What one load did. */
    public record Result(int servers, int intervals, int problems, int unknownToNova, int recoveredRows,
                         BigDecimal droppedHours, BigDecimal recoveredHours) {
    }

    /**
     * The whole step for a run: what usage tells of the servers ({@link #known}), their timelines
     * ({@link Timelines#build}), stored ({@link #store}). Call after the run's usage load.
     *
     * @param asOf when the actions were read (Nova's clock if known): later times are absurd
     */
    public Result load(Cloud cloud, long runId, List<ServerActions> actions, Instant asOf) {
        Map<String, KnownServer> known = known(cloud, actions.stream().map(ServerActions::instanceId).toList(), asOf);
        List<ServerTimeline> timelines = new ArrayList<>(actions.size());
        for (ServerActions server : actions) {
            timelines.add(Timelines.build(server, known.get(server.instanceId())));
        }
        return store(cloud, runId, timelines, known);
    }

    /**
     * What os-metrics knows of these servers from usage (project, state now, launched_at, terminated_at, the
     * flavors recorded over time); a server without usage yet gets {@link KnownServer#unknown}. Keyed by the ids
     * as given.
     */
    public Map<String, KnownServer> known(Cloud cloud, Collection<String> instanceIds, Instant asOf) {
        Map<String, String> byUuid = new LinkedHashMap<>();
        for (String id : instanceIds) {
            String uuid = uuidOrNull(id);
            if (uuid != null) {
                byUuid.put(uuid, id);
            }
        }
        String[] ids = byUuid.keySet().toArray(String[]::new);
        Map<String, KnownServer> known = new HashMap<>();
        jdbi.useHandle(handle -> {
            Map<String, List<KnownFlavor>> flavors = new HashMap<>();
            handle.createQuery(SQL.locate(TimelineLoader.class, "knownFlavors")).bind("cloud", cloud.cloudId())
                    .bind("ids", ids).mapToMap().forEach(row -> flavors.computeIfAbsent((String) row.get("instance_id"),
                            k -> new ArrayList<>()).add(new KnownFlavor(instant(row.get("since")), (String) row.get("name"))));
            handle.createQuery(SQL.locate(TimelineLoader.class, "knownServers")).bind("cloud", cloud.cloudId())
                    .bind("ids", ids).mapToMap().forEach(row -> {
                        String uuid = (String) row.get("instance_id");
                        String id = byUuid.get(uuid);
                        known.put(id, new KnownServer(id, (String) row.get("project_id"), (String) row.get("state"),
                                instant(row.get("started_at")), instant(row.get("ended_at")),
                                flavors.getOrDefault(uuid, List.of()), asOf));
                    });
        });
        for (String id : instanceIds) {
            known.computeIfAbsent(id, k -> KnownServer.unknown(k, asOf));
        }
        return known;
    }

    /**
     * Stores the timelines of one cloud in one transaction: each server's intervals replaced (but for servers
     * unknown to Nova, whose recorded timeline stays), problems as anomalies, dropped hours reported and recovered.
     */
    public Result store(Cloud cloud, long runId, List<ServerTimeline> timelines, Map<String, KnownServer> known) {
        return jdbi.inTransaction(handle -> {
            Map<String, Integer> flavorByName = new HashMap<>();
            handle.createQuery(SQL.locate(TimelineLoader.class, "flavorsByName")).bind("cloud", cloud.cloudId())
                    .mapToMap().forEach(row -> flavorByName.put((String) row.get("name"), ((Number) row.get("flavor_id")).intValue()));
            Map<String, Map<String, Integer>> serverFlavors = serverFlavors(handle, cloud, timelines);

            List<String> rebuilt = new ArrayList<>();
            List<ServerTimeline> valid = new ArrayList<>();
            PreparedBatch anomalies = handle.prepareBatch(SQL.locate(UsageLoader.class, "insertAnomaly"));
            int problems = 0;
            int unknown = 0;
            for (ServerTimeline timeline : timelines) {
                String uuid = uuidOrNull(timeline.instanceId());
                KnownServer server = known.get(timeline.instanceId());
                String project = server == null ? null : server.projectId();
                if (uuid == null) {
                    addAnomaly(anomalies, cloud, runId, server == null ? Instant.now() : server.asOf(), new Anomaly(Anomaly.Kind.INVALID_INSTANCE_ID, project,
                            timeline.instanceId(), "server id '" + timeline.instanceId()
                            + "' of instance actions is not a UUID: its timeline cannot be stored"));
                    problems++;
                    continue;
                }
                if (timeline.unknownToNova()) {
                    unknown++;
                    boolean recorded = handle.createQuery(SQL.locate(TimelineLoader.class, "unknownToNovaRecorded"))
                            .bind("cloud", cloud.cloudId()).bind("instance", uuid).mapTo(Boolean.class).one();
                    if (!recorded) {
                        for (TimelineProblem problem : timeline.problems()) {
                            addAnomaly(anomalies, cloud, runId, when(problem, server), problem.toAnomaly(project, uuid));
                            problems++;
                        }
                    }
                    continue;
                }
                rebuilt.add(uuid);
                valid.add(timeline);
            }
            String[] ids = rebuilt.toArray(String[]::new);
            for (String statement : List.of("deleteIntervals", "deleteRecovered")) {
                handle.createUpdate(SQL.locate(TimelineLoader.class, statement)).bind("cloud", cloud.cloudId())
                        .bind("ids", ids).execute();
            }
            for (String statement : List.of("deleteTimelineAnomalies", "clearUnknownToNova")) {
                handle.createUpdate(SQL.locate(TimelineLoader.class, statement)).bind("cloud", cloud.cloudId())
                        .bind("ids", ids).execute();
            }

            PreparedBatch intervals = handle.prepareBatch(SQL.locate(TimelineLoader.class, "insertInterval"));
            PreparedBatch recovered = handle.prepareBatch(SQL.locate(TimelineLoader.class, "insertRecovered"));
            int intervalCount = 0;
            BigDecimal dropped = BigDecimal.ZERO;
            BigDecimal kept = BigDecimal.ZERO;
            for (ServerTimeline timeline : valid) {
                String uuid = uuidOrNull(timeline.instanceId());
                KnownServer server = known.get(timeline.instanceId());
                String project = server == null ? null : server.projectId();
                Map<String, Integer> own = serverFlavors.getOrDefault(uuid, Map.of());
                for (StateInterval interval : timeline.intervals()) {
                    Integer flavorId = interval.flavorName() == null ? null
                            : own.getOrDefault(interval.flavorName(), flavorByName.get(interval.flavorName()));
                    intervals.bind("cloud", cloud.cloudId()).bind("instance", uuid).bind("from", interval.from())
                            .bind("to", interval.to()).bind("state", interval.vmState()).bind("flavor", flavorId)
                            .bind("assumption", interval.assumption()).bind("run", runId).add();
                    intervalCount++;
                }
                for (TimelineProblem problem : timeline.problems()) {
                    addAnomaly(anomalies, cloud, runId, when(problem, server), problem.toAnomaly(project, uuid));
                    problems++;
                }
                Recovery recovery = recover(handle, cloud, runId, timeline, server, uuid, own, flavorByName, recovered,
                        anomalies);
                if (recovery != null) {
                    dropped = dropped.add(recovery.dropped());
                    kept = kept.add(recovery.recovered());
                    problems++;
                }
            }
            int recoveredRows = 0;
            if (intervals.size() > 0) {
                intervals.execute();
            }
            if (recovered.size() > 0) {
                for (int rows : recovered.execute()) {
                    recoveredRows += rows;
                }
            }
            if (anomalies.size() > 0) {
                anomalies.execute();
            }
            handle.createUpdate(SQL.locate(TimelineLoader.class, "insertTimelineLoad")).bind("cloud", cloud.cloudId())
                    .bind("run", runId).bind("servers", timelines.size()).bind("intervals", intervalCount)
                    .bind("problems", problems).bind("unknown", unknown).bind("error", (String) null).execute();
            return new Result(timelines.size(), intervalCount, problems, unknown, recoveredRows, dropped, kept);
        });
    }

    /** A timeline load that could not read the actions at all (e.g. Nova refused): for status and the metrics file. */
    public void recordFailure(Cloud cloud, Long runId, String error) {
        jdbi.useHandle(handle -> handle.createUpdate(SQL.locate(TimelineLoader.class, "insertTimelineLoad"))
                .bind("cloud", cloud.cloudId()).bind("run", runId).bind("servers", 0).bind("intervals", 0)
                .bind("problems", 0).bind("unknown", 0).bind("error", error).execute());
    }

    private record Recovery(BigDecimal dropped, BigDecimal recovered) {
    }

    /**
     * The hours before launched_at in extracted windows without a fact of the server: reported as one anomaly,
     * recovered where the flavor of that time is known. Null when there are none.
     */
    private static Recovery recover(Handle handle, Cloud cloud, long runId, ServerTimeline timeline, KnownServer server,
                                    String uuid, Map<String, Integer> own, Map<String, Integer> flavorByName,
                                    PreparedBatch recovered, PreparedBatch anomalies) {
        if (server == null || server.startedAt() == null || server.projectId() == null) {
            return null;
        }
        List<DroppedHours.Piece> pieces = DroppedHours.before(timeline, server.startedAt(), cloud.grid());
        if (pieces.isEmpty()) {
            return null;
        }
        Instant from = pieces.get(0).windowStart();
        Instant to = pieces.get(pieces.size() - 1).windowEnd();
        Set<Instant> withFact = new HashSet<>(handle.createQuery(SQL.locate(TimelineLoader.class, "factWindows"))
                .bind("cloud", cloud.cloudId()).bind("instance", uuid).bind("from", from).bind("to", to)
                .mapTo(Instant.class).list());
        List<Instant[]> extracted = handle.createQuery(SQL.locate(TimelineLoader.class, "extractedRanges"))
                .bind("cloud", cloud.cloudId()).bind("project", server.projectId()).bind("from", from).bind("to", to)
                .map((rs, ctx) -> new Instant[] {rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()}).list();
        BigDecimal dropped = BigDecimal.ZERO;
        BigDecimal kept = BigDecimal.ZERO;
        Instant first = null;
        Instant last = null;
        for (DroppedHours.Piece piece : pieces) {
            if (withFact.contains(piece.windowStart()) || !inside(extracted, piece.windowStart(), piece.windowEnd())) {
                continue;
            }
            dropped = dropped.add(piece.hours());
            first = first == null ? piece.windowStart() : first;
            last = piece.windowEnd();
            Integer flavorId = piece.flavorName() == null ? null
                    : own.getOrDefault(piece.flavorName(), flavorByName.get(piece.flavorName()));
            if (flavorId != null) {
                kept = kept.add(piece.hours());
                recovered.bind("cloud", cloud.cloudId()).bind("instance", uuid).bind("start", piece.windowStart())
                        .bind("end", piece.windowEnd()).bind("state", piece.vmState()).bind("flavor", flavorId)
                        .bind("project", server.projectId()).bind("hours", piece.hours()).bind("run", runId).add();
            }
        }
        if (first == null) {
            return null;
        }
        String detail = "server " + uuid + ": " + dropped.toPlainString() + " h between " + first + " and "
                + server.startedAt() + " are in no fact (Nova's launched_at moved to " + server.startedAt()
                + " by a resize, unshelve, rebuild or rescue); " + kept.toPlainString() + " h recovered"
                + (kept.compareTo(dropped) < 0 ? ", " + dropped.subtract(kept).toPlainString()
                        + " h not (the flavor of that time is not known)" : "");
        anomalies.bind("cloud", cloud.cloudId()).bind("run", runId).bind("start", first).bind("end", last)
                .bind("project", server.projectId()).bind("instance", uuid).bind("kind", Anomaly.Kind.DROPPED_HOURS.code())
                .bind("detail", detail).add();
        return new Recovery(dropped, kept);
    }

    /** Whether [start, end) lies within the extracted ranges (sorted by start; they may touch or overlap). */
    private static boolean inside(List<Instant[]> ranges, Instant start, Instant end) {
        Instant covered = start;
        for (Instant[] range : ranges) {
            if (range[0].isAfter(covered)) {
                break;
            }
            if (range[1].isAfter(covered)) {
                covered = range[1];
            }
            if (!covered.isBefore(end)) {
                return true;
            }
        }
        return !covered.isBefore(end);
    }

    /** Per server: its own flavors by name (those it was seen with), preferred to the cloud's flavor of that name. */
    private static Map<String, Map<String, Integer>> serverFlavors(Handle handle, Cloud cloud, List<ServerTimeline> timelines) {
        String[] ids = timelines.stream().map(t -> uuidOrNull(t.instanceId())).filter(id -> id != null).toArray(String[]::new);
        Map<String, Map<String, Integer>> flavors = new HashMap<>();
        handle.createQuery(SQL.locate(TimelineLoader.class, "knownFlavors")).bind("cloud", cloud.cloudId()).bind("ids", ids)
                .mapToMap().forEach(row -> flavors.computeIfAbsent((String) row.get("instance_id"), k -> new HashMap<>())
                        .put((String) row.get("name"), ((Number) row.get("flavor_id")).intValue()));
        return flavors;
    }

    /** The time of a problem: its action's, else when the server was observed. */
    private static Instant when(TimelineProblem problem, KnownServer server) {
        return problem.at() != null ? problem.at() : server == null ? Instant.now() : server.asOf();
    }

    private static void addAnomaly(PreparedBatch anomalies, Cloud cloud, long runId, Instant when, Anomaly anomaly) {
        anomalies.bind("cloud", cloud.cloudId()).bind("run", runId).bind("start", when).bind("end", when)
                .bind("project", anomaly.projectId()).bind("instance", anomaly.instanceId())
                .bind("kind", anomaly.kind().code()).bind("detail", anomaly.detail()).add();
    }

    private static String uuidOrNull(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) value;
    }
}

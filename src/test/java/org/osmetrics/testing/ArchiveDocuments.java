package org.osmetrics.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Documents in the old script's shape ({@code output/*.json}: one {@code tenant_usage} object per file), with
 * hours and totals computed the way Nova computes them, so they reconcile bit for bit.
 */
public final class ArchiveDocuments {
    private static final DateTimeFormatter NOVA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArchiveDocuments() {
    }

    /** One tenant_usage object whose servers were launched around {@code start}. */
    public static ObjectNode tenantUsage(String project, Instant start, Instant stop, int servers, int seed) {
        return tenantUsage(project, start, stop, servers, seed, start);
    }

    /**
     * One tenant_usage object: server {@code n} of {@code seed} is the same instance in every document, launched
     * relative to {@code launchAnchor} (so documents of several days with one anchor show the same launches).
     */
    public static ObjectNode tenantUsage(String project, Instant start, Instant stop, int servers, int seed,
            Instant launchAnchor) {
        ObjectNode tenant = JSON.createObjectNode();
        tenant.put("tenant_id", project);
        ArrayNode rows = tenant.putArray("server_usages");
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (int n = 0; n < servers; n++) {
            Instant launched = launchAnchor.minus(Duration.ofMinutes(37L * (n + seed)))
                    .plus(Duration.ofMinutes(n % 3 == 0 ? 700 : 0)).plus(123_456L * n, ChronoUnit.MICROS);
            Instant ended = n % 4 == 1 ? stop.minus(Duration.ofMinutes(55L * n)) : null;
            Instant from = launched.isAfter(start) ? launched : start;
            Instant to = ended == null ? stop : ended;
            if (to.isBefore(from)) {
                ended = from;
                to = from;
            }
            double h = ChronoUnit.MICROS.between(from, to) / 1e6 / 3600;
            int cpu = 1 + n % 4;
            int mem = 2048 * cpu;
            int gb = 20 + 10 * (n % 2);
            ObjectNode row = rows.addObject();
            row.put("hours", h);
            row.put("flavor", "m" + cpu + ".test");
            row.put("instance_id", String.format("%08d-0000-4000-8000-%012d", seed, n));
            row.put("name", "server-" + n);
            row.put("tenant_id", project);
            row.put("memory_mb", mem);
            row.put("local_gb", gb);
            row.put("vcpus", cpu);
            row.put("started_at", NOVA_TIME.format(launched));
            if (ended == null) {
                row.putNull("ended_at");
            } else {
                row.put("ended_at", NOVA_TIME.format(ended));
            }
            row.put("state", ended == null ? "active" : "terminated");
            row.put("uptime", 86_400 + n);
            hours += h;
            vcpus += cpu * h;
            memory += mem * h;
            disk += gb * h;
        }
        tenant.put("total_local_gb_usage", disk);
        tenant.put("total_vcpus_usage", vcpus);
        tenant.put("total_memory_mb_usage", memory);
        tenant.put("total_hours", hours);
        tenant.put("start", NOVA_TIME.format(start));
        tenant.put("stop", NOVA_TIME.format(stop));
        return tenant;
    }

    /** The document as the old script wrote it: one line. */
    public static String text(ObjectNode document) {
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated document", e);
        }
    }

    /**
     * Writes {@code documents} daily files of {@code projects} projects (project {@code i % projects}, day
     * {@code i / projects} after {@code firstDay}) with 1 to 40 servers each, and 100 in every 25th: the old
     * script's archive of a small cloud. Returns the folder.
     */
    public static Path writeArchive(Path folder, int documents, int projects, Instant firstDay) {
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < documents; i++) {
                int project = i % projects;
                Instant day = firstDay.plus(Duration.ofDays(i / projects));
                int servers = i % 25 == 24 ? 100 : 1 + (int) ((i * 7919L) % 40);
                ObjectNode document = tenantUsage("project-" + project, day, day.plus(Duration.ofDays(1)), servers,
                        1000 + project, firstDay.plus(Duration.ofDays(i / projects / 30 * 30)));
                Files.writeString(folder.resolve(String.format("os_metrics_%s_%05d.json", "project-" + project, i)),
                        text(document));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated archive in " + folder, e);
        }
    }
}

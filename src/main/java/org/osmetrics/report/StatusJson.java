package org.osmetrics.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code status} shows, as one JSON document for scripts ({@code status --json}; README, "status").
 * Times are ISO-8601 UTC strings, durations and ages are seconds (numbers), absent values are null.
 * Field names are part of the interface: add fields, never rename or remove them.
 */
public final class StatusJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private StatusJson() {
    }

    /**
     * @param staleAfter the {@code --fail-if-stale} limit, or null: then {@code stale} is null everywhere
     */
    public static void write(Writer writer, Status.Snapshot s, Duration staleAfter) throws IOException {
        List<Status.LastSuccess> stale = staleAfter == null ? List.of() : s.staleScopes(staleAfter);
        try (JsonGenerator json = FACTORY.createGenerator(writer)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            time(json, "at", s.at());
            json.writeStringField("command", s.command());
            if (staleAfter == null) {
                json.writeNullField("stale_after_seconds");
            } else {
                json.writeNumberField("stale_after_seconds", staleAfter.toMillis() / 1000.0);
            }
            json.writeArrayFieldStart("runs");
            for (Status.Run run : s.runs()) {
                json.writeStartObject();
                json.writeNumberField("run_id", run.runId());
                json.writeStringField("command", run.command());
                json.writeStringField("cloud", run.cloud());
                json.writeStringField("scope", run.scope());
                time(json, "range_start", run.rangeStart());
                time(json, "range_end", run.rangeEnd());
                time(json, "started_at", run.startedAt());
                time(json, "finished_at", run.finishedAt());
                seconds(json, "duration_seconds", run.duration().orElse(null));
                json.writeStringField("status", run.status());
                json.writeStringField("result", run.result());
                json.writeNumberField("windows", run.windows());
                json.writeNumberField("servers", run.servers());
                json.writeNumberField("rows", run.rows());
                json.writeStringField("error", run.error());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("coverage");
            for (Status.Coverage c : s.coverage()) {
                json.writeStartObject();
                json.writeStringField("cloud", c.cloud());
                json.writeStringField("scope", c.scope());
                time(json, "first_window", c.firstWindow());
                time(json, "loaded_until", c.loadedUntil());
                json.writeNumberField("loaded_windows", c.loadedWindows());
                json.writeNumberField("gap_windows", c.gapWindows());
                periods(json, "gaps", c.gaps());
                json.writeNumberField("provisional_windows", c.provisionalWindows());
                periods(json, "provisional", c.provisional());
                json.writeNumberField("behind_windows", c.behindWindows());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("reconciliation");
            for (Status.Reconciliation r : s.reconciliation()) {
                json.writeStartObject();
                json.writeStringField("cloud", r.cloud());
                json.writeNumberField("mismatches", r.mismatches());
                time(json, "first_mismatch", r.firstMismatch());
                json.writeNumberField("anomalies", r.anomalies());
                json.writeNumberField("pending_restatements", r.pendingRestatements());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("timelines");
            for (Status.Timelines t : s.timelines()) {
                json.writeStartObject();
                json.writeStringField("cloud", t.cloud());
                time(json, "last_load", t.lastLoad());
                time(json, "last_success", t.lastSuccess());
                seconds(json, "age_seconds", t.lastSuccess() == null ? null : Duration.between(t.lastSuccess(), s.at()));
                json.writeNumberField("servers", t.servers());
                json.writeNumberField("problems", t.problems());
                json.writeNumberField("unknown_to_nova", t.unknownToNova());
                json.writeStringField("last_error", t.lastError());
                json.writeNumberField("anomalies", t.anomalies());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("last_success");
            for (Status.LastSuccess last : s.lastSuccess()) {
                json.writeStartObject();
                json.writeStringField("cloud", last.cloud());
                json.writeStringField("scope", last.scope());
                time(json, "finished_at", last.finishedAt());
                seconds(json, "age_seconds", last.finishedAt() == null ? null : Duration.between(last.finishedAt(), s.at()));
                seconds(json, "duration_seconds", last.duration());
                json.writeNumberField("rows", last.rows());
                json.writeStringField("latest_status", last.latestStatus());
                if (staleAfter == null) {
                    json.writeNullField("stale");
                } else {
                    json.writeBooleanField("stale", stale.contains(last));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        writer.write(System.lineSeparator());
        writer.flush();
    }

    private static void periods(JsonGenerator json, String name, List<Status.Period> periods) throws IOException {
        json.writeArrayFieldStart(name);
        for (Status.Period p : periods) {
            json.writeStartObject();
            time(json, "start", p.start());
            time(json, "end", p.end());
            json.writeNumberField("windows", p.windows());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void time(JsonGenerator json, String name, Instant instant) throws IOException {
        if (instant == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, instant.toString());
        }
    }

    private static void seconds(JsonGenerator json, String name, Duration duration) throws IOException {
        if (duration == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, duration.toMillis() / 1000.0);
        }
    }
}

package org.osmetrics.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The status as Prometheus text exposition format (version 0.0.4), for node_exporter's textfile collector:
 * written atomically, so the collector never reads half a file. Stateless.
 */
public final class PrometheusMetrics {

    private PrometheusMetrics() {
    }

    /** Writes {@link #render} to {@code path} through a temporary file renamed over it. */
    public static void write(Path path, Status.Snapshot snapshot) {
        String text = render(snapshot);
        AtomicFile.write(path, writer -> {
            writer.write(text);
            return null;
        });
    }

    /** The metrics of a snapshot: one family per gauge, HELP and TYPE lines first, labels cloud and scope. */
    public static String render(Status.Snapshot snapshot) {
        StringBuilder out = new StringBuilder();
        List<Status.LastSuccess> runs = snapshot.lastSuccess();
        String command = snapshot.command();
        // These two exist from the start, 0 meaning never, so that 'time() - x > limit' fires for a cloud and
        // scope whose runs always fail, one only backfilled, and (unlabeled) a database no run reached yet.
        family(out, "os_metrics_last_success_timestamp_seconds",
                "Unix time the last successful '" + command + "' of the cloud and scope ended (0: never).",
                runs, r -> r.finishedAt() == null ? 0 : r.finishedAt().toEpochMilli() / 1000.0,
                PrometheusMetrics::scopeLabels);
        neverWhenEmpty(out, "os_metrics_last_success_timestamp_seconds", runs);
        family(out, "os_metrics_last_attempt_timestamp_seconds",
                "Unix time the latest '" + command + "' of the cloud and scope started, whatever its outcome (0: never).",
                runs, r -> r.lastAttempt() == null ? 0 : r.lastAttempt().toEpochMilli() / 1000.0,
                PrometheusMetrics::scopeLabels);
        neverWhenEmpty(out, "os_metrics_last_attempt_timestamp_seconds", runs);
        family(out, "os_metrics_last_run_duration_seconds",
                "How long the last successful '" + command + "' of the cloud and scope took.",
                runs.stream().filter(r -> r.finishedAt() != null).toList(),
                r -> r.duration().toMillis() / 1000.0, PrometheusMetrics::scopeLabels);
        family(out, "os_metrics_last_run_rows",
                "Usage rows the last successful '" + command + "' of the cloud and scope loaded.",
                runs.stream().filter(r -> r.finishedAt() != null).toList(),
                r -> r.rows(), PrometheusMetrics::scopeLabels);
        family(out, "os_metrics_last_run_succeeded",
                "1 when the latest finished '" + command + "' of the cloud and scope succeeded, else 0.",
                runs.stream().filter(r -> r.latestStatus() != null).toList(),
                r -> "succeeded".equals(r.latestStatus()) ? 1 : 0, PrometheusMetrics::scopeLabels);
        family(out, "os_metrics_coverage_gaps",
                "Windows missing between the first and the last extracted window of the cloud and scope.",
                snapshot.coverage(), Status.Coverage::gapWindows, PrometheusMetrics::coverageLabels);
        family(out, "os_metrics_coverage_behind_windows",
                "Closed windows after the last extracted one (a run catches them up).",
                snapshot.coverage(), c -> c.behindWindows(), PrometheusMetrics::coverageLabels);
        family(out, "os_metrics_provisional_windows",
                "Windows extracted while still open, to be replaced by a later run.",
                snapshot.coverage(), c -> c.provisionalWindows(), PrometheusMetrics::coverageLabels);
        family(out, "os_metrics_loaded_until_timestamp_seconds",
                "Unix time of the end of the last completely loaded window of the cloud and scope.",
                snapshot.coverage().stream().filter(c -> c.loadedUntil() != null).toList(),
                c -> c.loadedUntil().getEpochSecond(), PrometheusMetrics::coverageLabels);
        family(out, "os_metrics_reconciliation_mismatches",
                "Extracted project ranges of the cloud whose totals did not match Nova's when loaded.",
                snapshot.reconciliation(), r -> r.mismatches(), r -> labels("cloud", r.cloud()));
        family(out, "os_metrics_anomalies",
                "Usage anomalies recorded for the cloud (see metrics.anomaly; those of timelines: os_metrics_timeline_anomalies).",
                snapshot.reconciliation(), r -> r.anomalies(), r -> labels("cloud", r.cloud()));
        // timelines (issue #15): only for the clouds whose timelines were ever loaded
        List<Status.Timelines> timelines = snapshot.timelines();
        family(out, "os_metrics_timeline_last_success_timestamp_seconds",
                "Unix time the last timeline load of the cloud that read Nova's instance actions ended (0: never).",
                timelines, t -> t.lastSuccess() == null ? 0 : t.lastSuccess().toEpochMilli() / 1000.0,
                t -> labels("cloud", t.cloud()));
        family(out, "os_metrics_timeline_last_load_failed",
                "1 when the latest timeline load of the cloud could not read the actions, else 0.",
                timelines, t -> t.lastError() == null ? 0 : 1, t -> labels("cloud", t.cloud()));
        family(out, "os_metrics_timeline_last_load_problems",
                "Problems the latest timeline load of the cloud met (unknown, out of order or absurd actions, 404s, dropped hours).",
                timelines, t -> t.problems(), t -> labels("cloud", t.cloud()));
        family(out, "os_metrics_timeline_anomalies",
                "Timeline anomalies recorded for the cloud (metrics.anomaly, kinds timeline_* and dropped_hours).",
                timelines, t -> t.anomalies(), t -> labels("cloud", t.cloud()));
        return out.toString();
    }

    /** With no cloud and scope to report, one unlabeled sample 0 (never), so that alerts on it can fire. */
    private static void neverWhenEmpty(StringBuilder out, String name, List<?> items) {
        if (items.isEmpty()) {
            out.append(name).append(" 0\n");
        }
    }

    private static String scopeLabels(Status.LastSuccess run) {
        return labels("cloud", run.cloud(), "scope", run.scope());
    }

    private static String coverageLabels(Status.Coverage coverage) {
        return labels("cloud", coverage.cloud(), "scope", coverage.scope());
    }

    private static <T> void family(StringBuilder out, String name, String help, List<T> items,
            ToDoubleFunction<T> value, java.util.function.Function<T, String> labels) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        for (T item : items) {
            out.append(name).append(labels.apply(item)).append(' ').append(number(value.applyAsDouble(item))).append('\n');
        }
    }

    static String labels(String... namesAndValues) {
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                labels.append(',');
            }
            String value = namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1];
            labels.append(namesAndValues[i]).append("=\"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return labels.append('}').toString();
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}

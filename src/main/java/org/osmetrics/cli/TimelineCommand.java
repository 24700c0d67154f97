package org.osmetrics.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.report.ServerTimelineReport;
import org.osmetrics.report.ServerTimelineReport.Interval;
import org.osmetrics.report.ServerTimelineReport.Problem;
import org.osmetrics.report.ServerTimelineReport.Recovered;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code os-metrics timeline --server ID}: what a server did, interval by interval (README, "Usage as it ran"). */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = "Print a server's timeline from Nova's instance actions: each interval of state and flavor,"
                + " what was assumed, the problems met and the hours Nova dropped that were recovered.")
final class TimelineCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Format { TABLE, JSONL }

    @Option(names = "--server", paramLabel = "ID", required = true, description = "The server's id (a UUID).")
    String server;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or jsonl (one JSON object per interval, problem or recovered row).")
    String format;

    @Option(names = "--cloud", paramLabel = "KEY", description = "Only this cloud's timeline (default: every cloud's).")
    String cloud;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Format chosen = switch (format.toLowerCase(Locale.ROOT)) {
            case "table" -> Format.TABLE;
            case "jsonl" -> Format.JSONL;
            default -> throw OsMetricsException.usage("--format: '" + format + "' is not table or jsonl");
        };
        try (Database db = database.openMigrated()) {
            ServerTimelineReport.Timeline timeline = new ServerTimelineReport(db.jdbi()).of(server, cloud);
            if (timeline.isEmpty()) {
                throw OsMetricsException.usage("no timeline recorded for server " + timeline.instanceId()
                        + (cloud == null ? "" : " in cloud " + cloud) + " (run or backfill loads timelines)");
            }
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            if (chosen == Format.JSONL) {
                jsonl(out, timeline, now);
            } else {
                table(out, timeline, now);
            }
            out.flush();
        }
    }

    private static void table(PrintWriter out, ServerTimelineReport.Timeline timeline, Instant now) {
        Interval first = timeline.intervals().isEmpty() ? null : timeline.intervals().get(0);
        out.printf("server %s%s%n", timeline.instanceId(), first == null ? ""
                : (first.name() == null ? "" : " (" + first.name() + ")")
                + (first.projectId() == null ? "" : ", project " + first.projectId()));
        String format = "%-32s %-20s %-20s %-17s %-12s %10s  %s%n";
        if (!timeline.intervals().isEmpty()) {
            out.printf(format, "cloud", "from", "to", "state", "flavor", "hours", "assumed");
            for (Interval interval : timeline.intervals()) {
                out.println(String.format(Locale.ROOT, format, interval.cloud(), StatusCommand.Text.time(interval.from()),
                        interval.to() == null ? "(now)" : StatusCommand.Text.time(interval.to()), interval.vmState(),
                        interval.flavor() == null ? "?" : interval.flavor(), interval.hours(now).toPlainString(),
                        interval.assumption() == null ? "" : interval.assumption()).stripTrailing());
            }
        }
        if (!timeline.recovered().isEmpty()) {
            out.println("hours Nova dropped, recovered:");
            for (Recovered recovered : timeline.recovered()) {
                out.printf("  %s %s %s: %s h in %s%n", recovered.cloud(), recovered.vmState(), recovered.flavor(),
                        recovered.hours().toPlainString(), StatusCommand.Text.range(recovered.from(), recovered.to()));
            }
        }
        if (!timeline.problems().isEmpty()) {
            out.println("problems:");
            for (Problem problem : timeline.problems()) {
                out.printf("  %s %s %s: %s%n", problem.cloud(), StatusCommand.Text.time(problem.at()), problem.kind(),
                        problem.detail());
            }
        }
    }

    private static void jsonl(PrintWriter out, ServerTimelineReport.Timeline timeline, Instant now) {
        for (Interval interval : timeline.intervals()) {
            ObjectNode row = JSON.createObjectNode().put("type", "interval").put("cloud", interval.cloud())
                    .put("instance_id", interval.instanceId()).put("project_id", interval.projectId())
                    .put("from", interval.from().toString())
                    .put("to", interval.to() == null ? null : interval.to().toString()).put("vm_state", interval.vmState())
                    .put("flavor", interval.flavor()).put("hours", interval.hours(now)).put("assumption", interval.assumption());
            out.println(row);
        }
        for (Recovered recovered : timeline.recovered()) {
            out.println(JSON.createObjectNode().put("type", "recovered").put("cloud", recovered.cloud())
                    .put("instance_id", timeline.instanceId()).put("vm_state", recovered.vmState())
                    .put("flavor", recovered.flavor()).put("hours", recovered.hours())
                    .put("from", recovered.from().toString()).put("to", recovered.to().toString()));
        }
        for (Problem problem : timeline.problems()) {
            out.println(JSON.createObjectNode().put("type", "problem").put("cloud", problem.cloud())
                    .put("instance_id", timeline.instanceId()).put("kind", problem.kind())
                    .put("at", problem.at() == null ? null : problem.at().toString()).put("detail", problem.detail()));
        }
    }
}

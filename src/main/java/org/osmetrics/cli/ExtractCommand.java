package org.osmetrics.cli;

import org.osmetrics.Phrases;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.osmetrics.OsMetricsException;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.extract.NovaTime;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.TenantUsage;
import org.osmetrics.extract.TimeRange;
import org.osmetrics.extract.UsageExtraction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code os-metrics extract}: prints what Nova's usage API returns for a range, one server per line with
 * Nova's field names, for debugging and scripts. Touches no database.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Print the server usage Nova returns for a time range: one JSON object per server and call range",
            "(Nova's field names plus range_start/range_end), and a summary per range on stderr."})
final class ExtractCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Format { jsonl, table }

    @Option(names = "--from", required = true, paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
            description = "Range start (inclusive), UTC: 2026-10-01 or 2026-10-01T06:00Z.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
            description = "Range end (exclusive), UTC. A range reaching past now is provisional (Nova answers up to now).")
    Instant to;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RunCommand.ScopeOptions scopeOptions;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default) or table.")
    Format format;

    @Mixin
    QuietOption quiet;

    @Mixin
    OpenStackOptions openstack;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (!from.isBefore(to)) {
            throw OsMetricsException.usage("--from " + from + " must be before --to " + to);
        }
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        if (!from.isBefore(now)) {
            throw OsMetricsException.usage("--from " + from + " is not in the past (now is " + now
                    + "): Nova has no usage for the future");
        }
        OpenStackSettings settings = openstack.settings();
        List<TimeRange> ranges = TimeRange.splitBefore(from, to, settings.tuning().callSpan(), now);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OpenStackUsageSource source = OpenStackUsageSource.connect(settings, clock)) {
            Scope scope = ScopeChoice.resolve(RunCommand.ScopeOptions.choice(scopeOptions), source);
            if (format == Format.table) {
                out.printf("%-20s %-32s %-36s %-20s %-12s %14s %-18s %-26s %-26s%n", "range_start", "tenant_id",
                        "instance_id", "name", "flavor", "hours", "state", "started_at", "ended_at");
            }
            for (TimeRange range : ranges) {
                UsageExtraction extraction = source.extract(range.start(), range.end(), scope);
                for (TenantUsage tenant : extraction.tenants()) {
                    for (ServerUsage server : tenant.servers()) {
                        out.println(format == Format.jsonl ? jsonLine(server, range) : tableLine(server, range));
                    }
                }
                out.flush();
                if (!quiet.on() || extraction.truncationSuspected()) {
                    err.println(summary(extraction, range, source.cloudKey()));
                    err.flush();
                }
            }
        }
    }

    /** Nova's field names, in the order of the record description, plus the call range (ISO, Z). */
    static String jsonLine(ServerUsage server, TimeRange range) {
        ObjectNode line = JSON.createObjectNode();
        line.put("instance_id", server.instanceId());
        line.put("tenant_id", server.tenantId());
        line.put("name", server.name());
        line.put("hours", server.hours());
        line.put("flavor", server.flavor());
        line.put("vcpus", server.vcpus());
        line.put("memory_mb", server.memoryMb());
        line.put("local_gb", server.localGb());
        line.put("started_at", NovaTime.format(server.startedAt()));
        line.put("ended_at", server.endedAt() == null ? null : NovaTime.format(server.endedAt()));
        line.put("state", server.state());
        line.put("uptime", server.uptime());
        line.put("range_start", range.start().toString());
        line.put("range_end", range.end().toString());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON line", e);
        }
    }

    private static String tableLine(ServerUsage server, TimeRange range) {
        return String.format("%-20s %-32s %-36s %-20s %-12s %14s %-18s %-26s %-26s", range.start(), server.tenantId(),
                server.instanceId(), oneLine(server.name()), oneLine(server.flavor()), server.hours(), oneLine(server.state()),
                NovaTime.format(server.startedAt()), server.endedAt() == null ? "-" : NovaTime.format(server.endedAt()));
    }

    /** Server names are free text: control characters would break the table's lines. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static String summary(UsageExtraction extraction, TimeRange range, String cloud) {
        StringBuilder line = new StringBuilder("extract ").append(cloud).append(' ').append(range).append(": ")
                .append(Phrases.count(extraction.serverCount(), "server")).append(" in ")
                .append(Phrases.count(extraction.tenants().size(), "project")).append(", ")
                .append(Phrases.count(extraction.rawPages().size(), "page")).append(", microversion ")
                .append(extraction.microversion());
        if (extraction.provisional()) {
            line.append(", provisional (the range has not closed yet)");
        }
        if (extraction.truncationSuspected()) {
            line.append(", WARNING: probably truncated at Nova's max_limit (no paging below microversion 2.40)");
        }
        return line.toString();
    }
}

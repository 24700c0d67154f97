package org.osmetrics.transform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.osmetrics.extract.PageTotals;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.TenantUsage;
import org.osmetrics.extract.UsageExtraction;

/**
 * The transform stage: splits each server's lifetime in an extracted range over the window grid and
 * checks the result against what Nova said, exactly (nova-usage-api.md 1.4 and 1.8). Pure: no I/O, no
 * clock. Everything is computed in integer microseconds; hours are {@code (double) micros / 1e6 / 3600},
 * which reproduces Nova's doubles bit for bit, so any difference is an {@link Anomaly}, never rounded away.
 */
public final class UsageTransform {

    private static final double MICROS_PER_SECOND = 1_000_000.0;
    private static final double SECONDS_PER_HOUR = 3600.0;

    private UsageTransform() {
    }

    /**
     * Splits and checks one extraction.
     *
     * @throws IllegalArgumentException when the range is not on the grid
     */
    public static TransformedRange transform(UsageExtraction extraction, WindowGrid grid) {
        List<Instant> windowStarts = grid.windowStarts(extraction.start(), extraction.requestedEnd());
        List<ServerSpan> spans = new ArrayList<>();
        long[] factCount = {0};
        List<ServerUsage> servers = new ArrayList<>();
        List<Reconciliation> reconciliations = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        if (extraction.truncationSuspected()) {
            anomalies.add(new Anomaly(Anomaly.Kind.TRUNCATION_SUSPECTED, null, null,
                    "microversion " + extraction.microversion() + " answered " + extraction.serverCount()
                            + " servers, probably cut at Nova's max_limit: use a cloud with microversion 2.40+"));
        }
        for (TenantUsage tenant : extraction.tenants()) {
            List<ServerUsage> rows = tenant.servers();
            List<Double> ourHours = new ArrayList<>(rows.size());
            // each server's hours run to the stop of the page that listed it (Nova's "now" of that request); the
            // pages hold their totals' server counts, in order
            int row = 0;
            for (int page = 0; page < tenant.pageTotals().size(); page++) {
                Instant stop = tenant.pageStops().get(page);
                for (int end = Math.min(rows.size(), row + tenant.pageTotals().get(page).serverCount()); row < end; row++) {
                    ourHours.add(split(rows.get(row), extraction, stop, grid, seen, servers, spans, factCount, anomalies));
                }
            }
            Instant lastStop = tenant.stop() != null ? tenant.stop() : extraction.stop();
            for (; row < rows.size(); row++) { // rows past the pages' counts (a page miscounted) take the last stop
                ourHours.add(split(rows.get(row), extraction, lastStop, grid, seen, servers, spans, factCount, anomalies));
            }
            reconciliations.add(reconcile(tenant, ourHours, anomalies));
        }
        return new TransformedRange(extraction, grid, windowStarts, servers, spans, factCount[0], reconciliations, anomalies);
    }

    /**
     * Adds the server's span (whose window facts are made when the load reads them), counts its facts and
     * returns our hours for the whole range (for reconciliation).
     */
    private static double split(ServerUsage server, UsageExtraction extraction, Instant stop, WindowGrid grid,
            Set<UUID> seen, List<ServerUsage> servers, List<ServerSpan> spans, long[] factCount, List<Anomaly> anomalies) {
        Instant start = extraction.start();
        long expectedMicros = novaMicros(server, start, stop);
        double expectedHours = hours(expectedMicros);
        if (expectedHours != server.hours()) {
            anomalies.add(anomaly(Anomaly.Kind.HOURS_MISMATCH, server, "Nova reported " + server.hours()
                    + " h for " + start + ".." + stop + " but launched_at " + server.startedAt() + " and terminated_at "
                    + server.endedAt() + " give " + expectedHours + " h"));
        }
        UUID instanceId = parseInstanceId(server, anomalies);
        boolean duplicate = instanceId != null && !seen.add(instanceId);
        if (duplicate) {
            anomalies.add(anomaly(Anomaly.Kind.DUPLICATE_SERVER, server,
                    "listed more than once for " + start + ".." + stop + ": the first row is kept"));
        } else if (instanceId != null) {
            servers.add(server);
        }
        if (expectedMicros < 0) {
            anomalies.add(anomaly(Anomaly.Kind.NEGATIVE_INTERVAL, server, "terminated_at " + server.endedAt()
                    + " is before launched_at " + server.startedAt() + ": no usage stored"));
            return 0.0;
        }
        Instant from = later(server.startedAt(), start);
        Instant to = server.endedAt() == null ? stop : earlier(server.endedAt(), stop);
        long splitMicros = 0;
        if (from.isBefore(to)) {
            long windows = 0;
            for (Instant window = grid.floor(from); window.isBefore(to); window = window.plus(grid.size())) {
                splitMicros += micros(later(from, window), earlier(to, window.plus(grid.size())));
                windows++;
            }
            if (instanceId != null && !duplicate) {
                spans.add(new ServerSpan(instanceId, server, from, to));
                factCount[0] += windows;
            }
        }
        if (splitMicros != expectedMicros) {
            anomalies.add(anomaly(Anomaly.Kind.SPLIT_MISMATCH, server, "the windows add up to " + splitMicros
                    + " µs, the lifetime in " + start + ".." + stop + " is " + expectedMicros + " µs"));
        }
        return hours(splitMicros);
    }

    /** Nova's {@code _hours_for} in microseconds: the overlap of launched..terminated with start..stop. */
    static long novaMicros(ServerUsage server, Instant start, Instant stop) {
        if (server.endedAt() != null && server.endedAt().isBefore(start)) {
            return 0;
        }
        if (server.startedAt().isAfter(stop)) {
            return 0;
        }
        Instant end = server.endedAt() == null ? stop : earlier(server.endedAt(), stop);
        return micros(later(server.startedAt(), start), end);
    }

    private static Reconciliation reconcile(TenantUsage tenant, List<Double> ourHours, List<Anomaly> anomalies) {
        List<ServerUsage> servers = tenant.servers();
        int pageCount = tenant.pageTotals().stream().mapToInt(PageTotals::serverCount).sum();
        boolean matches = pageCount == servers.size();
        if (!matches) {
            anomalies.add(new Anomaly(Anomaly.Kind.PAGE_COUNT_MISMATCH, tenant.tenantId(), null, "the page totals count "
                    + pageCount + " servers, the pages held " + servers.size()));
        }
        int row = 0;
        int count = 0;
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (int pageIndex = 0; pageIndex < tenant.pageTotals().size(); pageIndex++) {
            PageTotals nova = tenant.pageTotals().get(pageIndex);
            int end = Math.min(servers.size(), row + nova.serverCount());
            PageTotals ours = sum(servers.subList(row, end), ourHours.subList(row, end));
            row = end;
            if (!sameFigures(nova, ours)) {
                matches = false;
                anomalies.add(new Anomaly(Anomaly.Kind.TOTALS_MISMATCH, tenant.tenantId(), null, "page " + pageIndex
                        + " of " + tenant.start() + ".." + tenant.pageStops().get(pageIndex) + ": Nova "
                        + describe(nova) + ", ours " + describe(ours)));
            }
            count += ours.serverCount();
            hours += ours.totalHours();
            vcpus += ours.totalVcpusUsage();
            memory += ours.totalMemoryMbUsage();
            disk += ours.totalLocalGbUsage();
        }
        if (row < servers.size()) {
            PageTotals rest = sum(servers.subList(row, servers.size()), ourHours.subList(row, servers.size()));
            count += rest.serverCount();
            hours += rest.totalHours();
            vcpus += rest.totalVcpusUsage();
            memory += rest.totalMemoryMbUsage();
            disk += rest.totalLocalGbUsage();
        }
        return new Reconciliation(tenant.tenantId(), tenant.mergedTotals(),
                new PageTotals(count, hours, vcpus, memory, disk), matches);
    }

    /** Sums rows as Nova does: in API order, IEEE doubles, {@code vcpus * hours} per row. */
    private static PageTotals sum(List<ServerUsage> servers, List<Double> hoursPerServer) {
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (int i = 0; i < servers.size(); i++) {
            ServerUsage server = servers.get(i);
            double h = hoursPerServer.get(i);
            hours += h;
            vcpus += server.vcpus() * h;
            memory += server.memoryMb() * h;
            disk += server.localGb() * h;
        }
        return new PageTotals(servers.size(), hours, vcpus, memory, disk);
    }

    private static boolean sameFigures(PageTotals a, PageTotals b) {
        return a.serverCount() == b.serverCount()
                && a.totalHours() == b.totalHours()
                && a.totalVcpusUsage() == b.totalVcpusUsage()
                && a.totalMemoryMbUsage() == b.totalMemoryMbUsage()
                && a.totalLocalGbUsage() == b.totalLocalGbUsage();
    }

    private static String describe(PageTotals t) {
        return t.serverCount() + " servers, hours " + t.totalHours() + ", vcpu " + t.totalVcpusUsage() + ", memory "
                + t.totalMemoryMbUsage() + ", disk " + t.totalLocalGbUsage();
    }

    /**
     * The facts of {@code span} in the windows from {@code firstWindow} (on the grid) that start before
     * {@code until}: each window's share of the span, provisional unless closed before the range's earliest
     * stop (as the load records the range).
     */
    static void facts(ServerSpan span, Instant firstWindow, Instant until, UsageExtraction extraction, WindowGrid grid,
            Consumer<WindowFact> action) {
        for (Instant window = firstWindow; window.isBefore(until); window = window.plus(grid.size())) {
            Instant windowEnd = window.plus(grid.size());
            long micros = micros(later(span.from(), window), earlier(span.to(), windowEnd));
            action.accept(fact(span.instanceId(), span.server(), window, windowEnd, micros,
                    extraction.provisional() && windowEnd.isAfter(extraction.stop())));
        }
    }

    private static WindowFact fact(UUID instanceId, ServerUsage server, Instant windowStart, Instant windowEnd,
            long micros, boolean provisional) {
        double hours = hours(micros);
        return new WindowFact(instanceId, server.tenantId(), windowStart, windowEnd, server.flavor(), server.vcpus(),
                server.memoryMb(), server.localGb(), micros, hours, server.vcpus() * hours,
                server.memoryMb() * hours, server.localGb() * hours, server.state(), provisional);
    }

    private static UUID parseInstanceId(ServerUsage server, List<Anomaly> anomalies) {
        try {
            return UUID.fromString(server.instanceId());
        } catch (IllegalArgumentException e) {
            anomalies.add(anomaly(Anomaly.Kind.INVALID_INSTANCE_ID, server, "instance id '" + server.instanceId()
                    + "' is not a UUID: its usage is not stored"));
            return null;
        }
    }

    private static Anomaly anomaly(Anomaly.Kind kind, ServerUsage server, String detail) {
        return new Anomaly(kind, server.tenantId(), server.instanceId(), detail);
    }

    /** Hours exactly as Nova computes them from a timedelta. */
    static double hours(long micros) {
        return (double) micros / MICROS_PER_SECOND / SECONDS_PER_HOUR;
    }

    static long micros(Instant from, Instant to) {
        return Math.subtractExact(epochMicros(to), epochMicros(from));
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

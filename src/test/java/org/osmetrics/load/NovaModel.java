package org.osmetrics.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osmetrics.extract.PageTotals;
import org.osmetrics.extract.Scope;
import org.osmetrics.extract.ServerUsage;
import org.osmetrics.extract.TenantUsage;
import org.osmetrics.extract.UsageExtraction;

/**
 * Builds {@link UsageExtraction}s by hand for loader tests, the way Nova would answer for a set of
 * instances (selection, order, hours and totals per nova-usage-api.md 1.3, 1.4, 1.8). Tests of the whole
 * pipeline use the simulated cloud over HTTP instead.
 */
final class NovaModel {

    /** An instance as Nova's database holds it. */
    record Instance(String id, String project, Instant launchedAt, Instant terminatedAt, String flavor, int vcpus,
            int memoryMb, int localGb, String vmState) {

        Instance resized(Instant at, String newFlavor, int newVcpus, int newMemoryMb, int newLocalGb) {
            return new Instance(id, project, at, terminatedAt, newFlavor, newVcpus, newMemoryMb, newLocalGb, vmState);
        }

        Instance deleted(Instant at) {
            return new Instance(id, project, launchedAt, at, flavor, vcpus, memoryMb, localGb, vmState);
        }
    }

    private NovaModel() {
    }

    static Instance instance(int n, String project, String launchedAt) {
        return new Instance(String.format("00000000-0000-4000-8000-%012d", n), project, Instant.parse(launchedAt), null,
                "m1.small", 1, 2048, 20, "active");
    }

    /** What Nova answers for {@code [start, end)} at {@code now}: one page per tenant. */
    static UsageExtraction extract(Scope scope, Instant start, Instant end, Instant now, List<Instance> instances) {
        Instant stop = end.isAfter(now) ? now : end;
        Map<String, List<ServerUsage>> byTenant = new LinkedHashMap<>();
        instances.stream()
                .filter(i -> scope.isAllProjects() || i.project().equals(scope.projectId()))
                .filter(i -> (i.terminatedAt() == null || i.terminatedAt().isAfter(start)) && i.launchedAt().isBefore(stop))
                .sorted(Comparator.comparing(Instance::project).thenComparing(Instance::id))
                .forEach(i -> byTenant.computeIfAbsent(i.project(), p -> new ArrayList<>()).add(row(i, start, stop, now)));
        List<TenantUsage> tenants = new ArrayList<>();
        byTenant.forEach((project, rows) -> tenants.add(new TenantUsage(project, rows, List.of(totals(rows)), start, stop)));
        return new UsageExtraction(scope, start, end, stop, now, end.isAfter(now), "2.40", false, tenants, List.of());
    }

    private static ServerUsage row(Instance i, Instant start, Instant stop, Instant now) {
        Instant from = i.launchedAt().isAfter(start) ? i.launchedAt() : start;
        Instant to = i.terminatedAt() == null || i.terminatedAt().isAfter(stop) ? stop : i.terminatedAt();
        long micros = java.time.temporal.ChronoUnit.MICROS.between(from, to);
        double hours = micros / 1e6 / 3600.0;
        String state = i.terminatedAt() != null ? "terminated" : i.vmState();
        long uptime = java.time.Duration.between(i.launchedAt(), i.terminatedAt() == null ? now : i.terminatedAt()).toSeconds();
        return new ServerUsage(i.id(), i.project(), "vm-" + i.id().substring(30), hours, i.flavor(), i.vcpus(),
                i.memoryMb(), i.localGb(), i.launchedAt(), i.terminatedAt(), state, uptime);
    }

    private static PageTotals totals(List<ServerUsage> rows) {
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        for (ServerUsage s : rows) {
            hours += s.hours();
            vcpus += s.vcpus() * s.hours();
            memory += s.memoryMb() * s.hours();
            disk += s.localGb() * s.hours();
        }
        return new PageTotals(rows.size(), hours, vcpus, memory, disk);
    }
}

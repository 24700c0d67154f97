package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.extract.RenamedSource;
import org.osmetrics.extract.ScopeChoice;
import org.osmetrics.extract.UsageSource;
import org.osmetrics.pipeline.CatchUp;
import org.osmetrics.load.Database;
import org.osmetrics.load.RunLedger;
import org.osmetrics.report.BilledServers;
import org.osmetrics.report.BillingPolicy;
import org.osmetrics.report.BillingPolicyRepository;
import org.osmetrics.report.CloudTotals;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code os-metrics demo}: the whole pipeline with nothing installed. Starts the simulated OpenStack on
 * loopback with a generated cloud, then runs what {@code run --all-projects} runs (same code path, real
 * HTTP) over the last days into the database (the embedded one by default).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "See it work: start a simulated OpenStack with a generated cloud, load its last days of"
                + " usage (as 'run --all-projects' does) into the database, and print what was loaded.")
final class DemoCommand implements Runnable {

    @Option(names = "--days", defaultValue = "7", description = "Days of usage to load (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--projects", defaultValue = "5", description = "Projects of the generated cloud (default: ${DEFAULT-VALUE}).")
    int projects;

    @Option(names = "--servers", defaultValue = "200", description = "Servers of the generated cloud (default: ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated cloud (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (days < 1 || projects < 1 || servers < 1) {
            throw org.osmetrics.OsMetricsException.usage("--days, --projects and --servers must be at least 1");
        }
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        Instant now = clock.instant();
        // whole days, so that every demo of the same day serves the very same cloud (a later demo then loads
        // only what closed since); a new day is a new cloud under another key
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Instant generatedFrom = today.minus(Duration.ofDays(days + 3L));
        SimCloud cloud = SimCloud.generate(seed, projects, servers, generatedFrom, today.plus(Duration.ofDays(1)));
        String cloudKey = String.format(Locale.ROOT, "demo-sim/seed=%d,projects=%d,servers=%d,from=%s", seed, projects,
                servers, generatedFrom.toString().substring(0, 10));
        try (SimServer sim = SimServer.start(cloud, clock);
             Database db = database.openMigrated()) {
            out.printf("demo: simulated OpenStack at %s (%d projects, %d servers); database: %s%n", sim.authUrl(),
                    projects, servers, db.description());
            out.flush();
            try (UsageSource source = new RenamedSource(OpenStackUsageSource.connect(OpenStackSettingsLoader.load(
                    Map.<OpenStackSetting, String>of(), SimCredentials.adminOpenrc(sim.authUrl()), ClientTuning.defaults()), clock), cloudKey)) {
                CatchUp.Request request = new CatchUp.Request("demo", "--days " + days + " --projects " + projects
                        + " --servers " + servers + " --seed " + seed, ScopeChoice.allProjects(), null, Duration.ofDays(1),
                        Duration.ofDays(days), false, false, true);
                CatchUp.Summary summary = new CatchUp(db, clock).run(source, request, range -> { });
                RunCommand.report(out, "demo", summary, false, false, false);
                printBilled(out, db, cloudKey);
                printLoaded(out, db, cloudKey);
            }
        }
    }

    /**
     * A stopped and a shelved server of the simulated cloud, Nova's view beside what the example billing policy bills
     * (imported for the simulated cloud the first time: it never touches a real cloud's policy).
     */
    private static void printBilled(PrintWriter out, Database db, String cloudKey) {
        BillingPolicyRepository policies = new BillingPolicyRepository(db.jdbi());
        if (policies.lines(cloudKey).isEmpty()) {
            RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
            String commandLine = "demo: policy import (the example billing policy) --cloud " + cloudKey;
            long runId = ledger.start("policy import", commandLine, null, null);
            try {
                policies.importPolicy(cloudKey, BillingPolicy.example("the example billing policy (demo)"), false, true,
                        false, runId, BillingPolicy.EXAMPLE_NAME, commandLine);
            } catch (RuntimeException e) {
                ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                throw e;
            }
            ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
        }
        List<BilledServers.Server> billed = new BilledServers(db.jdbi()).stoppedAndShelved(cloudKey);
        out.println();
        out.println("Billed as it ran (the simulated cloud's billing policy: examples/billing-policy.csv; a stopped or");
        out.println("shelved server pays for its disk only), next to Nova's view (every hour counted as running):");
        if (billed.isEmpty()) {
            out.println("  no server of the loaded days was stopped or shelved according to its timeline");
            return;
        }
        out.printf("  %-8s %-36s %-10s %-22s %10s %10s %10s%n", "", "server", "flavor", "", "vCPU-h", "RAM GiB-h",
                "disk GB-h");
        for (BilledServers.Server server : billed) {
            out.printf(Locale.ROOT, "  %-8s %-36s %-10s %-22s %10s %10s %10s%n", server.kind(), server.instanceId(),
                    server.flavor(), "Nova's view", server.vcpuHours().toPlainString(), server.ramGbHours().toPlainString(),
                    server.diskGbHours().toPlainString());
            out.printf(Locale.ROOT, "  %-8s %-36s %-10s %-22s %10s %10s %10s%n", "", server.name() == null ? "" : server.name(),
                    "", "billed", server.billableVcpuHours().toPlainString(), server.billableRamGbHours().toPlainString(),
                    server.billableDiskGbHours().toPlainString());
            out.printf(Locale.ROOT, "  %-8s hours by state: %s%n", "", server.states());
        }
        out.println("  (export --report server_usage_billable or project_billable_daily; README 'Billing policy')");
    }

    private static void printLoaded(PrintWriter out, Database db, String cloudKey) {
        List<CloudTotals.Project> projects = new CloudTotals(db.jdbi()).perProject(cloudKey);
        out.println();
        out.printf("%-34s %-20s %8s %8s %12s %16s%n", "project", "name", "servers", "rows", "vCPU-hours", "memory-GB-hours");
        for (CloudTotals.Project project : projects) {
            out.printf(Locale.ROOT, "%-34s %-20s %8d %8d %12s %16s%n", project.projectId(), project.name(),
                    project.servers(), project.rows(), project.vcpuHours(), project.memoryGbHours());
        }
        out.println();
        out.println("Where to look next:");
        out.println("  the tables are in schema 'metrics' (usage_fact, server, nova_totals, run, ...; see README 'Storage');");
        out.println("  cloud key: " + cloudKey);
        out.println("  bin/os-metrics export --report project_usage_daily     # per project and day (CSV)");
        out.println("  bin/os-metrics export --report reconciliation          # ours vs Nova's totals");
        out.println("  bin/os-metrics export --report coverage                # loaded/provisional windows");
        out.println("  (add --data-dir or --db-url as for demo; README 'Reports' lists every report)");
        out.println("  run 'demo' again later: it loads only the windows that closed since (and the open one)");
        out.println("  with your own cloud: bin/os-metrics run --help");
        out.flush();
    }
}

package org.osmetrics.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.load.Database;
import org.osmetrics.load.RunLedger;
import org.osmetrics.report.BillingPolicyCsv;
import org.osmetrics.report.BillingPolicyRepository;
import org.osmetrics.report.CloudKeys;
import org.osmetrics.report.PolicyLine;
import org.osmetrics.report.RateResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics policy import|list}: per cloud, which resources are billed in each vm_state (README, "Billing policy"). */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "The billing policy of a cloud (which resources are billed in each server state): import, list.",
        subcommands = {PolicyCommand.Import.class, PolicyCommand.ListPolicy.class})
final class PolicyCommand implements Runnable {
    /** The cloud key prefix of demo's simulated clouds: never chosen as "the database's only real cloud". */
    static final String SIMULATED_PREFIX = "demo-sim/";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: import or list.");
    }

    /** {@code cloud} when given and known; else the database's only real cloud (demo's simulated ones aside). */
    static String cloud(String cloud, List<String> known) {
        if (cloud != null) {
            return CloudKeys.require(cloud, known);
        }
        List<String> real = known.stream().filter(k -> !k.startsWith(SIMULATED_PREFIX)).toList();
        if (real.size() == 1) {
            return real.get(0);
        }
        throw OsMetricsException.usage(real.isEmpty()
                ? "the database has no cloud yet" + (known.isEmpty() ? "" : " but demo's (" + String.join(", ", known)
                        + ")") + ": load one first, or name one with --cloud KEY"
                : "the database has " + real.size() + " clouds (" + String.join(", ", real)
                        + "): say which with --cloud KEY");
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Add the lines of a CSV file to a cloud's billing policy.",
                "The file's header row (see README, \"Billing policy\"), one column a resource of the rate card:",
                "  vm_state, vcpu_hour, ram_gb_hour, disk_gb_hour, flavor_hour, recovered, valid_from, valid_to",
                "Refused, with the line number, when a state or resource is unknown, a state is listed twice in a "
                    + "version, or two versions would be in force at once. A change to a month already invoiced is a "
                    + "restatement: refused unless --restate."})
    static final class Import implements Runnable {
        @Parameters(paramLabel = "FILE.csv", description = "The billing policy file.")
        Path file;

        @Option(names = "--cloud", paramLabel = "KEY",
                description = "The cloud the policy is for (default: the database's only cloud, demo's aside).")
        String cloud;

        @Option(names = "--replace", description = "Replace the cloud's whole policy by the file (default: add to it).")
        boolean replace;

        @Option(names = "--dry-run", description = "Import nothing: print what the invoices of the months it touches would"
                + " bill differently, per month, project and resource.")
        boolean dryRun;

        @Option(names = "--restate", description = "Apply it even where it changes months already invoiced (then run"
                + " invoice for those months: a credit note and a new invoice).")
        boolean restate;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            List<PolicyLine> lines = InputFile.read(file, "billing policy file", BillingPolicyCsv::read);
            try (Database db = database.openMigrated()) {
                String key = cloud(cloud, CloudKeys.read(db.dataSource()));
                RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
                String commandLine = "policy import " + file.getFileName() + " --cloud " + key + (replace ? " --replace" : "")
                        + (restate ? " --restate" : "") + (dryRun ? " --dry-run" : "");
                long runId = ledger.start("policy import", commandLine, null, null);
                BillingPolicyRepository.Outcome outcome;
                try {
                    outcome = new BillingPolicyRepository(db.jdbi()).importPolicy(key, lines, replace, restate, dryRun,
                            runId, file.getFileName().toString(), commandLine);
                } catch (RuntimeException e) {
                    ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                    throw e;
                }
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
                PrintWriter out = spec.commandLine().getOut();
                if (dryRun) {
                    printChanges(out, outcome.changes());
                    out.printf("policy import --dry-run: nothing imported; %s would %s the policy of %s%n",
                            Phrases.count(outcome.linesAdded(), "line"), replace ? "replace" : "be added to", key);
                    return;
                }
                if (quiet.on()) {
                    return;
                }
                if (!outcome.changes().isEmpty()) {
                    out.println("restated (invoiced months billed differently; run invoice for each):");
                    printChanges(out, outcome.changes());
                }
                out.printf("policy import: %s %s from %s; the policy of %s holds %s%n",
                        Phrases.count(outcome.linesAdded(), "line"), replace ? "replaced the policy with" : "added", file, key,
                        Phrases.count(outcome.linesAfter(), "line"));
            }
        }

        private static void printChanges(PrintWriter out, List<BillingPolicyRepository.Change> changes) {
            if (changes.isEmpty()) {
                out.println("no invoice line changes (months with usage in the policy's validity)");
                return;
            }
            out.printf("%-8s %-34s %-24s %22s %22s %14s %14s %-8s%n", "month", "project", "resource", "quantity before",
                    "quantity after", "amount before", "amount after", "currency");
            for (BillingPolicyRepository.Change c : changes) {
                out.println(String.format(Locale.ROOT, "%-8s %-34s %-24s %22s %22s %14s %14s %-8s%s", c.month(), c.projectId(),
                        c.resource() + (c.flavor() == null ? "" : " " + c.flavor()), plain(c.quantityBefore()),
                        plain(c.quantityAfter()), plain(c.amountBefore()), plain(c.amountAfter()),
                        c.currency() == null ? "" : c.currency(), c.invoiced() ? " invoiced" : "").stripTrailing());
            }
        }

        private static String plain(BigDecimal value) {
            return value == null ? "-" : value.stripTrailingZeros().toPlainString();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the billing policy of each cloud.")
    static final class ListPolicy implements Runnable {
        @Option(names = "--cloud", paramLabel = "KEY", description = "Only this cloud (default: every cloud).")
        String cloud;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                if (cloud != null) {
                    CloudKeys.require(cloud, CloudKeys.read(db.dataSource()));
                }
                PrintWriter out = spec.commandLine().getOut();
                List<BillingPolicyRepository.Stored> lines = new BillingPolicyRepository(db.jdbi()).lines(cloud);
                if (lines.isEmpty()) {
                    out.println("no billing policy: every state is billed in full, as Nova counts it (recovered hours"
                            + " are not billed)");
                    return;
                }
                out.printf("%-30s %-18s %-4s %-4s %-4s %-6s %-9s %-20s %-20s %s%n", "cloud", "vm_state", "vcpu", "ram",
                        "disk", "flavor", "recovered", "valid_from", "valid_to", "source");
                for (BillingPolicyRepository.Stored stored : lines) {
                    PolicyLine line = stored.line();
                    out.printf("%-30s %-18s %-4s %-4s %-4s %-6s %-9s %-20s %-20s %s%n", stored.cloud(), line.vmState(),
                            yes(line.bills(RateResource.VCPU_HOUR)), yes(line.bills(RateResource.RAM_GB_HOUR)),
                            yes(line.bills(RateResource.DISK_GB_HOUR)), yes(line.bills(RateResource.FLAVOR_HOUR)),
                            yes(line.recovered()), line.validFrom(), line.validTo() == null ? "" : line.validTo(),
                            line.source());
                }
                out.println("(states not listed in a version are billed in full)");
            }
        }

        private static String yes(boolean value) {
            return value ? "yes" : "no";
        }
    }
}

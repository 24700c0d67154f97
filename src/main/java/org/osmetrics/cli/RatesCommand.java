package org.osmetrics.cli;

import org.osmetrics.Phrases;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.load.RunLedger;
import org.osmetrics.report.Rate;
import org.osmetrics.report.RateCardCsv;
import org.osmetrics.report.RateCardRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics rates import|list}: the effective-dated prices that report.invoice_monthly applies. */
@Command(name = "rates", mixinStandardHelpOptions = true,
        description = "The rate card (prices per vCPU-hour, RAM GiB-hour, disk GB-hour, flavor-hour): import, list.",
        subcommands = {RatesCommand.Import.class, RatesCommand.ListRates.class})
final class RatesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: import or list.");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add the prices of a CSV file to the rate card.",
                "The file's header row (see README, \"rates import\"):",
                "  resource,flavor,unit_price,currency,valid_from,valid_to",
                "Refused, with the line number, when a price overlaps another of the same resource, a resource is "
                    + "unknown, or two currencies would be in force at once."})
    static final class Import implements Runnable {
        @Parameters(paramLabel = "FILE.csv", description = "The rate card file.")
        Path file;

        @Option(names = "--replace", description = "Replace the whole rate card by the file (default: add to it).")
        boolean replace;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            List<Rate> rates = read(file);
            try (Database db = database.openMigrated()) {
                RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
                String commandLine = "rates import " + file.getFileName() + (replace ? " --replace" : "");
                long runId = ledger.start("rates import", commandLine, null, null);
                int total;
                try {
                    total = new RateCardRepository(db.jdbi()).importRates(rates, replace, runId,
                            file.getFileName().toString(), commandLine);
                } catch (RuntimeException e) {
                    ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                    throw e;
                }
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
                if (quiet.on()) {
                    return;
                }
                spec.commandLine().getOut().printf("rates import: %s %s from %s; the rate card holds %s%n",
                        Phrases.count(rates.size(), "price"), replace ? "replaced the rate card with" : "added", file,
                        Phrases.count(total, "price"));
            }
        }

        private static List<Rate> read(Path file) {
            return InputFile.read(file, "rate card file", RateCardCsv::read);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the rate card.")
    static final class ListRates implements Runnable {
        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-13s %-16s %14s %-8s %-22s %-22s %s%n",
                        "resource", "flavor", "unit_price", "currency", "valid_from", "valid_to", "source");
                for (Rate rate : new RateCardRepository(db.jdbi()).all()) {
                    out.printf("%-13s %-16s %14s %-8s %-22s %-22s %s%n", rate.resource().code(),
                            rate.flavor() == null ? "" : rate.flavor(), rate.unitPrice().toPlainString(), rate.currency(),
                            rate.validFrom(), rate.validTo() == null ? "" : rate.validTo(), rate.source());
                }
            }
        }
    }
}

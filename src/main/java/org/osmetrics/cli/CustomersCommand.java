package org.osmetrics.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.load.RunLedger;
import org.osmetrics.report.Customer;
import org.osmetrics.report.CustomerMapping;
import org.osmetrics.report.CustomerRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics customers import|list}: who is invoiced for which project. */
@Command(name = "customers", mixinStandardHelpOptions = true,
        description = "The customers invoiced for each project (name, cost centre, address, tax id, tax rate, currency).",
        subcommands = {CustomersCommand.Import.class, CustomersCommand.ListCustomers.class})
final class CustomersCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: import or list.");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Replace the project -> customer mapping by a CSV file (its header names the columns project_id,"
                + " customer, cost_centre, address, tax_id, tax_rate and currency; see README). Refused, with the file and line, nothing changed, for "
                + "an unknown project, a project listed twice, a missing tax rate, a customer with two different details, "
                + "or a currency other than the rate card's."})
    static final class Import implements Runnable {
        @Parameters(paramLabel = "FILE.csv", description = "The customers file.")
        Path file;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            CustomerMapping mapping = read(file);
            try (Database db = database.openMigrated()) {
                RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
                long runId = ledger.start("customers import", "customers import " + file.getFileName(), null, null);
                int customers;
                try {
                    customers = new CustomerRepository(db.jdbi()).importMapping(mapping, runId);
                } catch (RuntimeException e) {
                    ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                    throw e;
                }
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
                if (!quiet.on()) {
                    spec.commandLine().getOut().printf("customers import: %d project(s) of %d customer(s) from %s%n",
                            mapping.projects().size(), customers, file);
                }
            }
        }

        private static CustomerMapping read(Path file) {
            return InputFile.read(file, "customers file", CustomerMapping::read);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print each project's customer.")
    static final class ListCustomers implements Runnable {
        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-28s %-12s %8s %-8s %-16s %s%n", "project_id", "customer", "cost_centre", "tax_rate",
                        "currency", "tax_id", "address");
                for (Map.Entry<String, Customer> e : new CustomerRepository(db.jdbi()).mapping().entrySet()) {
                    Customer c = e.getValue();
                    out.printf("%-24s %-28s %-12s %8s %-8s %-16s %s%n", e.getKey(), c.name(), text(c.costCentre()),
                            c.taxRate().toPlainString() + "%", c.currency(), text(c.taxId()),
                            text(c.address()).replace("\n", ", "));
                }
                out.flush();
            }
        }

        private static String text(String value) {
            return value == null ? "" : value;
        }
    }
}

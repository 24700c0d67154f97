package org.osmetrics.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.load.RunLedger;
import org.osmetrics.report.AtomicFile;
import org.osmetrics.report.InvoiceRenderer;
import org.osmetrics.report.Invoicing;
import org.osmetrics.report.Issuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics invoice --month YYYY-MM --out DIR}: invoice documents per customer, PDF and HTML. */
@Command(name = "invoice", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Issue the month's invoice documents, one per cloud and customer (PDF, HTML, and JSON/CSV data for"
            + " accounting), numbered sequentially per issuer and stored in the database.",
            "Refused with exit 7 when the month is not complete (unless --allow-incomplete), with exit 2 when a project with"
                + " billable usage has no customer (unless --default-customer) or a price is missing. Issuing a month again"
                + " returns the stored documents; a changed month gets a credit note and a new invoice."},
        subcommands = {InvoiceCommand.Void.class})
final class InvoiceCommand implements Runnable {

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The month to invoice.")
    String month;

    @Option(names = "--out", paramLabel = "DIR", description = "The folder the documents are written to.")
    Path out;

    @Option(names = "--issuer", paramLabel = "FILE", description = "The issuer: a properties file (name, address, tax_id,"
            + " number_prefix, footer; README, \"invoice\"). Numbers are sequential per issuer name.")
    Path issuerFile;

    @Option(names = "--cloud", paramLabel = "KEY", description = "Only this cloud (default: every cloud).")
    String cloud;

    @Option(names = "--allow-incomplete", description = "Issue even when the month is not complete: every document says so.")
    boolean allowIncomplete;

    @Option(names = "--default-customer", paramLabel = "NAME",
            description = "Invoice projects that have no customer to this customer of the mapping (a catch-all).")
    String defaultCustomer;

    @Mixin
    QuietOption quiet;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        YearMonth period = month(month);
        Issuer issuer = issuer(issuerFile);
        Path dir = out(out);
        PrintWriter err = spec.commandLine().getErr();
        try (Database db = database.openMigrated()) {
            RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
            long runId = ledger.start("invoice", "invoice --month " + period + (cloud == null ? "" : " --cloud " + cloud)
                    + (allowIncomplete ? " --allow-incomplete" : ""), null, null);
            List<Invoicing.Document> documents;
            try {
                documents = new Invoicing(db.jdbi(), new InvoiceRenderer(), Clock.systemUTC())
                        .issue(period, cloud, issuer, allowIncomplete, defaultCustomer, runId,
                                warning -> err.println("os-metrics: warning: " + warning));
            } catch (RuntimeException e) {
                ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                throw e;
            }
            ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
            write(dir, "invoices-" + period, documents);
            report(documents, dir);
        }
    }

    private void report(List<Invoicing.Document> documents, Path dir) {
        if (quiet.on()) {
            return;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (documents.isEmpty()) {
            stdout.println("invoice: nothing billable");
        }
        for (Invoicing.Document d : documents) {
            stdout.printf("%s %-11s %-30s %14s %s%n", d.numberText(), d.kind(), d.customer(), d.total().toPlainString(),
                    d.reused() ? "(issued before: stored document)" : "(issued now)");
        }
        stdout.println("documents written to " + dir);
        stdout.flush();
    }

    static YearMonth month(String text) {
        if (text == null) {
            throw OsMetricsException.usage("invoice: --month YYYY-MM is required");
        }
        try {
            return YearMonth.parse(text.trim());
        } catch (DateTimeException e) {
            throw OsMetricsException.usage("--month '" + text + "' is not a month (use YYYY-MM, e.g. 2026-10)");
        }
    }

    static Issuer issuer(Path file) {
        if (file == null) {
            throw OsMetricsException.usage("invoice: --issuer FILE is required (who issues the invoices; README, \"invoice\")");
        }
        return Issuer.read(file);
    }

    static Path out(Path dir) {
        if (dir == null) {
            throw OsMetricsException.usage("invoice: --out DIR is required");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw OsMetricsException.usage("--out " + dir + " is a file, not a folder");
        }
        return dir;
    }

    /** Each document as PDF, HTML and JSON, and one CSV of every line for accounting imports. */
    static void write(Path dir, String csvName, List<Invoicing.Document> documents) {
        for (Invoicing.Document d : documents) {
            writeBytes(dir.resolve(d.numberText() + ".pdf"), d.pdf());
            writeBytes(dir.resolve(d.numberText() + ".html"), d.html());
            AtomicFile.write(dir.resolve(d.numberText() + ".json"), w -> {
                w.write(d.data());
                w.write('\n');
                return null;
            });
        }
        if (documents.isEmpty()) {
            return;
        }
        AtomicFile.write(dir.resolve(csvName + ".csv"), w -> {
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
                csv.printRecord("number", "kind", "issuer", "cloud", "month", "completeness", "customer", "cost_centre",
                        "project_id", "project_name", "resource", "flavor", "unit", "quantity", "unit_price", "amount",
                        "currency", "tax_rate", "document_subtotal", "document_tax", "document_total");
                for (Invoicing.Document d : documents) {
                    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.data());
                    for (var l : n.get("lines")) {
                        csv.printRecord(n.get("number_text").asText(), n.get("kind").asText(), n.get("issuer").asText(),
                                n.get("cloud").asText(), n.get("month").asText(), n.get("completeness").asText(),
                                n.get("customer").asText(), n.get("cost_centre").asText(""), l.get("project_id").asText(),
                                l.get("project_name").asText(""), l.get("resource").asText(), l.get("flavor").asText(""),
                                l.get("unit").asText(), l.get("quantity").decimalValue().toPlainString(),
                                l.get("unit_price").decimalValue().toPlainString(), l.get("amount").decimalValue().toPlainString(),
                                n.get("currency").asText(), n.get("tax_rate").decimalValue().toPlainString(),
                                n.get("subtotal").decimalValue().toPlainString(), n.get("tax").decimalValue().toPlainString(),
                                n.get("total").decimalValue().toPlainString());
                    }
                }
            }
            return null;
        });
    }

    private static void writeBytes(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw OsMetricsException.usage("cannot write " + target + ": " + e.getMessage());
        }
    }

    @Command(name = "void", mixinStandardHelpOptions = true,
            description = "Cancel an issued invoice by a credit note (written to --out as PDF, HTML and JSON).")
    static final class Void implements Runnable {
        @Parameters(paramLabel = "NUMBER", description = "The invoice number as printed (or its sequence number).")
        String number;

        @Option(names = "--issuer", paramLabel = "FILE", description = "The issuer file the invoice was issued with.")
        Path issuerFile;

        @Option(names = "--out", paramLabel = "DIR", description = "The folder the credit note is written to.")
        Path out;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Issuer issuer = issuer(issuerFile);
            Path dir = out(out);
            PrintWriter err = spec.commandLine().getErr();
            try (Database db = database.openMigrated()) {
                RunLedger ledger = new RunLedger(db.jdbi(), Clock.systemUTC());
                long runId = ledger.start("invoice void", "invoice void " + number, null, null);
                Invoicing.Document credit;
                try {
                    credit = new Invoicing(db.jdbi(), new InvoiceRenderer(), Clock.systemUTC())
                            .voidInvoice(issuer, number, runId, warning -> err.println("os-metrics: warning: " + warning));
                } catch (RuntimeException e) {
                    ledger.finish(runId, RunLedger.Status.FAILED, e.getMessage());
                    throw e;
                }
                ledger.finish(runId, RunLedger.Status.SUCCEEDED, null);
                write(dir, "credit-" + credit.numberText(), List.of(credit));
                if (!quiet.on()) {
                    spec.commandLine().getOut().printf("invoice void: credit note %s cancels invoice %s (%s)%n",
                            credit.numberText(), number, credit.total().toPlainString());
                }
            }
        }
    }
}

package org.osmetrics.cli;

import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.CloudBilling;
import org.osmetrics.load.CloudRepository;
import org.osmetrics.load.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code os-metrics clouds list|set}: the clouds of the database and their billing start and time zone. */
@Command(name = "clouds", mixinStandardHelpOptions = true,
        description = "The clouds of the database: their window grid, billing start and billing time zone.",
        subcommands = {CloudsCommand.ListClouds.class, CloudsCommand.Set.class})
final class CloudsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or set.");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print each cloud: key, window grid, billing start, time zone, first and last loaded window.")
    static final class ListClouds implements Runnable {
        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                print(spec.commandLine().getOut(), new CloudRepository(db.jdbi()).billing());
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set a cloud's billing start and/or billing time zone.",
                "Coverage gaps and completeness are counted from the billing start; what lies before it is history. "
                    + "Days and months of reports and invoices are cut in the time zone (windows stay UTC)."})
    static final class Set implements Runnable {
        @Parameters(paramLabel = "KEY", description = "The cloud's key, as 'clouds list' prints it.")
        String key;

        @Option(names = "--billing-start", paramLabel = "DATE",
                description = "The first day billed (midnight in the billing time zone), a date-time with a zone,"
                        + " or 'none' to clear it.")
        String billingStart;

        @Option(names = "--time-zone", paramLabel = "ZONE", converter = ZoneConverter.class,
                description = "An IANA time zone (Europe/Madrid) or UTC. Needs a grid that divides the zone's UTC"
                        + " offsets from the billing start on (1h for whole-hour zones); a 1d grid allows UTC only.")
        ZoneId timeZone;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (billingStart == null && timeZone == null) {
                throw OsMetricsException.usage("clouds set: give --billing-start DATE (or none) and/or --time-zone ZONE");
            }
            try (Database db = database.openMigrated()) {
                CloudRepository clouds = new CloudRepository(db.jdbi());
                CloudBilling cloud = clouds.requireBilling(key);
                ZoneId zone = timeZone == null ? cloud.timeZone() : timeZone;
                Instant start = billingStart == null ? cloud.billingStart() : parseBillingStart(billingStart, zone);
                CloudBilling updated = clouds.setBilling(key, start, zone);
                print(spec.commandLine().getOut(), java.util.List.of(updated));
            }
        }
    }

    /** A date is midnight in the billing zone; a date-time is taken as written (UTC without a zone). */
    static Instant parseBillingStart(String value, ZoneId zone) {
        String text = value.trim();
        if (text.equalsIgnoreCase("none")) {
            return null;
        }
        if (text.length() == 10) {
            try {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw OsMetricsException.usage("--billing-start '" + value + "' is not a date (use e.g. 2026-10-01, or none)");
            }
        }
        try {
            return TimeArguments.parseInstant(text);
        } catch (TypeConversionException e) {
            throw OsMetricsException.usage("--billing-start: " + e.getMessage() + ", or none");
        }
    }

    static void print(PrintWriter out, java.util.List<CloudBilling> clouds) {
        out.printf("%-44s %-5s %-21s %-16s %-21s %s%n", "cloud", "grid", "billing_start", "time_zone",
                "first_window", "loaded_until");
        for (CloudBilling c : clouds) {
            out.printf("%-44s %-5s %-21s %-16s %-21s %s%n", c.key(), c.grid().label(), text(c.billingStart()),
                    c.timeZone().getId(), text(c.firstWindow()), text(c.loadedUntil()));
        }
        out.flush();
    }

    private static String text(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    /** An IANA region (Europe/Madrid) or UTC; fixed offsets are refused (PostgreSQL reads '+02:00' reversed). */
    static final class ZoneConverter implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            String text = value.trim();
            if (text.equalsIgnoreCase("UTC") || text.equals("Z") || text.equalsIgnoreCase("Etc/UTC")) {
                return ZoneId.of("UTC");
            }
            try {
                ZoneId zone = ZoneId.of(text);
                if (zone instanceof ZoneOffset || !text.contains("/")) {
                    throw new TypeConversionException("'" + value + "' is not a region time zone: use an IANA name such as"
                            + " Europe/Madrid, or UTC");
                }
                return zone;
            } catch (DateTimeException e) {
                throw new TypeConversionException("'" + value + "' is not a known time zone (use an IANA name such as"
                        + " Europe/Madrid, or UTC)");
            }
        }
    }
}

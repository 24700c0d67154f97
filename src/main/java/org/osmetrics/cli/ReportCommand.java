package org.osmetrics.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.YearMonth;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.report.Showback;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code os-metrics report html --month YYYY-MM --out FILE}: the showback page of a month. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports for people to look at (README, \"Showback\").",
        subcommands = {ReportCommand.Html.class})
final class ReportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'os-metrics report --help'.");
    }

    @Command(name = "html", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write the showback of a month as one self-contained HTML file (no script, no network; charts"
                + " drawn inline): the cloud's cost and usage by project over the last 12 months, by flavor and the trend,"
                + " then a section per project (daily usage, top servers, cost lines, hours by state when timelines exist).",
                "Every figure comes from the report views; the period's completeness is on every page. It prints on A4,"
                    + " each project from a new page."})
    static final class Html implements Runnable {
        @Option(names = "--month", paramLabel = "YYYY-MM",
                description = "The month to show, in the cloud's billing time zone (as invoice --month).")
        String month;

        @Option(names = "--out", paramLabel = "FILE", description = "The HTML file to write (replaced at once when done).")
        Path out;

        @Option(names = "--cloud", paramLabel = "KEY",
                description = "The cloud to show, by its key (as 'status' shows it); needed when the database has several.")
        String cloud;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            YearMonth period = month(month);
            if (out == null) {
                throw OsMetricsException.usage("report html: --out FILE is required");
            }
            if (Files.isDirectory(out)) {
                throw OsMetricsException.usage("--out " + out + " is a folder, not a file");
            }
            try (Database db = database.openMigrated()) {
                Showback showback = new Showback(db.jdbi(), db.dataSource(), Clock.systemUTC());
                String key = showback.cloud(cloud);
                Showback.Data data = showback.write(period, key, out);
                if (!quiet.on()) {
                    long projects = data.monthly().stream().filter(u -> u.month().equals(period.toString())).count();
                    spec.commandLine().getOut().println("report html: " + period + " of " + key + ", " + projects
                            + (projects == 1 ? " project" : " projects") + " with usage, written to " + out);
                }
            }
        }

        static YearMonth month(String text) {
            if (text == null) {
                throw OsMetricsException.usage("report html: --month YYYY-MM is required");
            }
            try {
                return YearMonth.parse(text.trim());
            } catch (DateTimeException e) {
                throw OsMetricsException.usage("--month '" + text + "' is not a month (use YYYY-MM, e.g. 2026-10)");
            }
        }
    }
}

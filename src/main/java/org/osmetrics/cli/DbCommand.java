package org.osmetrics.cli;

import org.osmetrics.Phrases;
import java.io.PrintWriter;
import org.osmetrics.load.Database;
import org.osmetrics.load.Migration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code os-metrics db migrate|info}: the schema under Flyway. */
@Command(name = "db", description = "Database schema: apply migrations, show their state.",
        mixinStandardHelpOptions = true,
        subcommands = {DbCommand.Migrate.class, DbCommand.Info.class})
final class DbCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: migrate or info.");
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Apply pending schema migrations and (re)create the report views.")
    static final class Migrate implements Runnable {
        @Mixin
        QuietOption quiet;
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = Database.open(database.settings())) {
                int applied = db.migrate();
                if (quiet.on()) {
                    return;
                }
                spec.commandLine().getOut().printf("db migrate: %s applied to %s%n", Phrases.count(applied, "migration"), db.description());
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Show every migration with its version, description, state and install time.")
    static final class Info implements Runnable {
        @Mixin
        DatabaseOptions database;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = Database.open(database.settings())) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("database: " + db.description());
                out.printf("%-10s %-45s %-10s %s%n", "version", "description", "state", "installed (UTC)");
                for (Migration migration : db.migrations()) {
                    out.printf("%-10s %-45s %-10s %s%n", migration.version(), migration.description(), migration.state(),
                            migration.installedOn() == null ? "" : migration.installedOn());
                }
                out.println("(R: a repeatable migration, a report view re-applied whenever its file changes;"
                        + " -: Flyway's own record, such as the creation of the schemas)");
            }
        }
    }
}

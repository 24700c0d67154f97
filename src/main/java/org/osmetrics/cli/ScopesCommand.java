package org.osmetrics.cli;

import java.io.PrintWriter;
import org.osmetrics.load.Database;
import org.osmetrics.load.Scopes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics scopes list|forget}: the scopes each cloud was run for, and forgetting one for monitoring. */
@Command(name = "scopes", mixinStandardHelpOptions = true,
        description = "The scopes (a project id, or * for all projects) each cloud was run for: list them, or forget"
                + " one so that status and its metrics stop counting it.",
        subcommands = {ScopesCommand.ListScopes.class, ScopesCommand.Forget.class})
final class ScopesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or forget.");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print every cloud's scopes: runs, last success, loaded range, forgotten or not.")
    static final class ListScopes implements Runnable {
        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                PrintWriter out = spec.commandLine().getOut();
                String format = "%-32s %-34s %-20s %6s %-20s %-20s %-20s %s%n";
                out.printf(format, "cloud", "scope", "project", "runs", "last run", "last success", "loaded until",
                        "monitored");
                for (Scopes.Entry scope : new Scopes(db.jdbi()).list()) {
                    out.printf(format, scope.cloud(), scope.scope(), StatusCommand.Text.abbreviate(
                            scope.projectName() == null ? "" : scope.projectName(), 20), scope.runs(), StatusCommand.Text.time(scope.lastRun()),
                            StatusCommand.Text.time(scope.lastSuccess()), StatusCommand.Text.time(scope.loadedUntil()),
                            scope.forgotten() ? "no (forgotten " + StatusCommand.Text.time(scope.forgottenAt()) + ")" : "yes");
                }
            }
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Stop counting a scope in status (--fail-if-stale, gaps, the metrics file) until it runs"
                    + " again. Its data and runs are kept.")
    static final class Forget implements Runnable {
        @Parameters(paramLabel = "SCOPE", description = "A project id, or * for the all-projects scope.")
        String scope;

        @Option(names = "--cloud", paramLabel = "KEY", description = "The cloud (needed when several have the scope).")
        String cloud;

        @Mixin
        QuietOption quiet;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                Scopes.Entry forgotten = new Scopes(db.jdbi()).forget(cloud, scope);
                if (!quiet.on()) {
                    spec.commandLine().getOut().printf("scopes forget: scope %s of %s is no longer monitored (until it "
                            + "runs again)%n", forgotten.scope(), forgotten.cloud());
                }
            }
        }
    }
}

package org.osmetrics.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.osmetrics.OsMetricsException;
import org.osmetrics.load.Database;
import org.osmetrics.report.ProjectAccess;
import org.osmetrics.report.ProjectAccess.LoginSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics access grant|revoke|list}: which database roles see which projects in the report views. */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = "Per-project access to the report views, enforced by PostgreSQL: grant, revoke, list (README, \"Access\").",
        subcommands = {AccessCommand.Grant.class, AccessCommand.Revoke.class, AccessCommand.ListAccess.class})
final class AccessCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: grant, revoke or list.");
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = {"Let ROLE (a login, or a group and its members) read the report views' rows of the projects given,"
                + " or with --reader every row; puts the timeouts and connection limit on ROLE and each login in it"
                + " (PostgreSQL does not pass them from a group to its members). Run it as the owner role."})
    static final class Grant implements Runnable {
        @Parameters(paramLabel = "ROLE", description = "An existing database role.")
        String role;

        @Option(names = "--project", paramLabel = "ID|NAME", description = "A project id or name; repeat for several.")
        List<String> projects = new ArrayList<>();

        @Option(names = "--cloud", paramLabel = "KEY", description = "Only the project of this cloud (default: every cloud that has it).")
        String cloud;

        @Option(names = "--reader", description = "Every project's rows (finance): grants os_metrics_reader.")
        boolean reader;

        @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "15min",
                description = "statement_timeout of the logins (default: ${DEFAULT-VALUE}; 0 = none).")
        String statementTimeout;

        @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5min",
                description = "idle_in_transaction_session_timeout of the logins (default: ${DEFAULT-VALUE}; 0 = none).")
        String idleTimeout;

        @Option(names = "--connection-limit", paramLabel = "N", defaultValue = "5",
                description = "CONNECTION LIMIT of the logins (default: ${DEFAULT-VALUE}; -1 = none).")
        int connectionLimit;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (projects.isEmpty() && !reader) {
                throw OsMetricsException.usage("access grant needs --project ID|NAME (a tenant) or --reader (finance)");
            }
            LoginSettings settings = new LoginSettings(statementTimeout, idleTimeout, connectionLimit);
            String commandLine = "access grant " + role + options(projects, cloud, reader) + " --statement-timeout "
                    + statementTimeout + " --idle-timeout " + idleTimeout + " --connection-limit " + connectionLimit;
            try (Database db = database.openMigrated()) {
                ProjectAccess.Outcome outcome = new ProjectAccess(db.jdbi()).grant(role, projects, cloud, reader, settings, commandLine);
                PrintWriter out = spec.commandLine().getOut();
                for (ProjectAccess.Project project : outcome.projects()) {
                    out.println("access grant: " + outcome.role() + " sees project " + project.label());
                }
                if (reader) {
                    out.println("access grant: " + outcome.role() + " sees every project (os_metrics_reader)");
                }
                out.println("access grant: statement_timeout " + statementTimeout + ", idle_in_transaction_session_timeout "
                        + idleTimeout + ", connection limit " + connectionLimit + " set on "
                        + (outcome.loginsConfigured().isEmpty() ? "no login (none is in " + outcome.role() + " yet: grant again once there is)"
                                : String.join(", ", outcome.loginsConfigured())));
                if (outcome.superuser()) {
                    out.println("access grant: note: " + outcome.role() + " is a superuser and sees every row anyway");
                }
                if (db.isEmbedded()) {
                    out.println("access grant: note: on the embedded database every local user is a superuser: isolation needs a server database");
                }
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Take projects (all of ROLE's when no --project is given), or with --reader every project, away from ROLE.")
    static final class Revoke implements Runnable {
        @Parameters(paramLabel = "ROLE", description = "The role (or the name of a role since dropped).")
        String role;

        @Option(names = "--project", paramLabel = "ID|NAME", description = "A project id or name; repeat for several.")
        List<String> projects = new ArrayList<>();

        @Option(names = "--cloud", paramLabel = "KEY", description = "Only in this cloud.")
        String cloud;

        @Option(names = "--reader", description = "Also revoke os_metrics_reader.")
        boolean reader;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            String commandLine = "access revoke " + role + options(projects, cloud, reader);
            try (Database db = database.openMigrated()) {
                ProjectAccess.Outcome outcome = new ProjectAccess(db.jdbi()).revoke(role, projects, cloud, reader, commandLine);
                PrintWriter out = spec.commandLine().getOut();
                for (ProjectAccess.Project project : outcome.projects()) {
                    out.println("access revoke: " + outcome.role() + " no longer sees project " + project.label());
                }
                if (reader) {
                    out.println("access revoke: " + outcome.role() + " is no longer a reader (os_metrics_reader)");
                }
                if (outcome.projects().isEmpty() && !reader) {
                    out.println("access revoke: " + outcome.role() + " had none of these projects");
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print who sees what: readers, then each role's projects.")
    static final class ListAccess implements Runnable {
        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Database db = database.openMigrated()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-60s %-22s %s%n", "role", "sees", "granted (UTC)", "by");
                for (ProjectAccess.Entry entry : new ProjectAccess(db.jdbi()).list()) {
                    String sees = entry.everyProject() ? "every project (os_metrics_reader)"
                            : entry.cloudKey() + " " + entry.projectId() + (entry.projectName() == null ? "" : " (" + entry.projectName() + ")");
                    out.printf("%-24s %-60s %-22s %s%n", entry.role() + (entry.dropped() ? " (dropped)" : ""), sees,
                            entry.grantedAt() == null ? "" : entry.grantedAt(), entry.grantedBy() == null ? "" : entry.grantedBy());
                }
            }
        }
    }

    private static String options(List<String> projects, String cloud, boolean reader) {
        StringBuilder text = new StringBuilder();
        projects.forEach(project -> text.append(" --project ").append(project));
        if (cloud != null) {
            text.append(" --cloud ").append(cloud);
        }
        if (reader) {
            text.append(" --reader");
        }
        return text.toString();
    }
}

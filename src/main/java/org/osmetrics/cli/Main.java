package org.osmetrics.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.osmetrics.Cancellation;
import org.osmetrics.ExitCode;
import org.osmetrics.OsMetricsException;
import org.slf4j.LoggerFactory;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The entry point and the only place that exits. Every error is mapped here, once, to one line on stderr
 * and an exit code of the contract; the stack trace is printed only with {@code --debug}.
 */
@Command(
        name = "os-metrics",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Turns OpenStack Nova tenant usage into billing data in PostgreSQL.",
        subcommands = {CommandLine.HelpCommand.class, RunCommand.class, BackfillCommand.class, ImportJsonCommand.class,
            StatusCommand.class, DemoCommand.class, DbCommand.class, ExtractCommand.class, ExportCommand.class,
            RatesCommand.class, PolicyCommand.class, CloudsCommand.class, CustomersCommand.class, InvoiceCommand.class,
            ScopesCommand.class, AccessCommand.class, ReportCommand.class, TimelineCommand.class, SimCommand.class,
            BenchCommand.class},
        footer = {
            "",
            "Exit codes: 0 ok; 1 internal error; 2 bad usage; 3 authentication or",
            "configuration; 4 OpenStack API unreachable or failing; 5 database; 6 another",
            "run holds the lock; 7 data did not reconcile, or a period asked for is not complete;",
            "130 stopped by SIGINT (Ctrl-C);",
            "143 stopped by SIGTERM (what was loaded is kept)."
        })
public final class Main implements Runnable {

    /** The process environment (OS_* and OS_METRICS_* variables), injected so tests can set it. */
    private final Map<String, String> environment;
    /** Set by SIGTERM/SIGINT (see {@link StopSignal}); long commands stop at their next safe point. */
    private final Cancellation cancellation;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log details and print stack traces of errors (secrets are never printed).")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Map<String, String> environment, Cancellation cancellation) {
        this.environment = Map.copyOf(environment);
        this.cancellation = cancellation;
    }

    /** The environment of this invocation; commands reach it through their spec's root command. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The environment of the invocation a command belongs to. */
    public static Map<String, String> environmentOf(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).environment();
    }

    /** The stop request of the invocation a command belongs to. */
    static Cancellation cancellationOf(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).cancellation;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'os-metrics --help'.");
    }

    public static void main(String[] args) {
        Cancellation cancellation = new Cancellation();
        PrintWriter err = new PrintWriter(System.err, true);
        StopSignal stop = StopSignal.install(cancellation, err);
        stop.exit(execute(System.getenv(), cancellation, new PrintWriter(System.out, true), err, args));
    }

    /** Runs one command line with the given environment and returns its exit code; never exits. */
    public static int execute(Map<String, String> environment, String... args) {
        // UTF-8 whatever the platform locale: exports to stdout carry names in any script
        return execute(environment,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args);
    }

    /**
     * Runs one command line with the given environment and output streams (commands print through
     * {@code spec.commandLine().getOut()/getErr()}), and returns its exit code; never exits.
     */
    public static int execute(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        return execute(environment, new Cancellation(), out, err, args);
    }

    /** As {@link #execute(Map, PrintWriter, PrintWriter, String...)}, stopping long commands when asked. */
    public static int execute(Map<String, String> environment, Cancellation cancellation, PrintWriter out,
            PrintWriter err, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        configureLogging(debug);
        CommandLine commandLine = new CommandLine(new Main(environment, cancellation));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> report(exception, cmd.getErr(), debug));
        commandLine.setParameterExceptionHandler((exception, args2) -> {
            PrintWriter usageErr = exception.getCommandLine().getErr();
            usageErr.println("os-metrics: " + exception.getMessage());
            usageErr.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.USAGE.code();
        });
        return commandLine.execute(args);
    }

    static int report(Throwable exception, PrintWriter err, boolean debug) {
        ExitCode code = ExitCode.of(exception);
        String message = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        if (code == ExitCode.INTERNAL) {
            message = "internal error: " + message + (debug ? "" : " (run with --debug for the stack trace)");
        }
        err.println("os-metrics: " + firstLine(message));
        if (debug) {
            exception.printStackTrace(err);
        }
        err.flush();
        return code.code();
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void configureLogging(boolean debug) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(debug ? Level.INFO : Level.WARN);
        ((Logger) LoggerFactory.getLogger("org.osmetrics")).setLevel(debug ? Level.DEBUG : Level.INFO);
        // PDFBox (invoice PDFs) warns about the standard Type 1 fonts it substitutes, which the documents never use
        ((Logger) LoggerFactory.getLogger("org.apache.pdfbox")).setLevel(debug ? Level.INFO : Level.ERROR);
    }

    /**
     * The version of this build: {@code org/osmetrics/build.properties}, written by the Maven build (project
     * version and git commit), else the jar manifest's Implementation-Version.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties build = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/org/osmetrics/build.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (IOException e) {
                // no build information: fall back to the manifest
            }
            String version = build.getProperty("version", "").isBlank()
                    ? Main.class.getPackage().getImplementationVersion() : build.getProperty("version").trim();
            String commit = build.getProperty("commit", "").trim();
            return new String[] {"os-metrics " + (version == null ? "(version unknown: not built by Maven)" : version)
                    + (commit.isEmpty() ? "" : " (git commit " + commit + ")"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ")"};
        }
    }
}

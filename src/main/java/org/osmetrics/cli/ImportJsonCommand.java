package org.osmetrics.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.osmetrics.Cancellation;
import org.osmetrics.OsMetricsException;
import org.osmetrics.Phrases;
import org.osmetrics.pipeline.ArchiveImport;
import org.osmetrics.load.Database;
import org.osmetrics.transform.WindowGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code os-metrics import-json FILE...}: the old script's archived JSON documents loaded as history. */
@Command(name = "import-json", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load the old script's archived JSON documents (output/*.json) as history.",
            "Reads one tenant_usage object per file, or saved Nova answers ({\"tenant_usage\": {...}}, "
                + "{\"tenant_usages\": [...]}). Project and range come from each document, never from the file "
                + "name. Idempotent with run and backfill for the same range. A 0-byte file (a failed run of the old "
                + "script) is counted, never loaded as zero usage; a malformed or truncated file is reported and "
                + "skipped, the rest still load."},
        footer = {"", "Exit codes: 0 all files loaded (empty files included); 2 some files were malformed or",
            "truncated (the others are loaded) or a FILE does not exist; 5 database; 6 the cloud is locked."})
final class ImportJsonCommand implements Runnable {
    private static final String GLOB_CHARACTERS = "*?[{";

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Documents, folders (every *.json below them) or quoted globs such as 'output/*.json'.")
    List<String> inputs;

    @Option(names = "--cloud", paramLabel = "KEY",
            description = "The cloud the documents belong to, as 'status' lists it (default: $OS_CLOUD, else the host"
                    + " of $OS_AUTH_URL and $OS_REGION_NAME as 'run' names it, else 'archive').")
    String cloud;

    @Option(names = "--window", paramLabel = "DURATION", converter = WindowConverter.class,
            description = "Window grid of a new cloud: 1h (default) or 1d. Fixed once the cloud has data.")
    WindowGrid window;

    @Option(names = "--restate", description = "Apply differences from windows already recorded (otherwise only"
            + " logged in metrics.restatement).")
    boolean restate;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Files read and parsed at once (default: ${DEFAULT-VALUE}); they load in order, up to 200"
                    + " ranges per transaction.")
    int parallel;

    @Mixin
    QuietOption quiet;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (parallel < 1 || parallel > 16) {
            throw OsMetricsException.usage("--parallel " + parallel + " is out of range: use 1 to 16");
        }
        Cancellation cancellation = Main.cancellationOf(spec);
        cancellation.observe();
        List<Path> files = expand(inputs);
        String cloudKey = cloud != null ? cloud : defaultCloudKey(Main.environmentOf(spec));
        PrintWriter out = spec.commandLine().getOut();
        ArchiveImport.Summary s;
        try (Database db = database.openMigrated();
             Progress progress = quiet.on() ? Progress.disabled()
                     : Progress.start("import-json", "files", files.size(), spec.commandLine().getErr(), false)) {
            s = new ArchiveImport(db, Clock.systemUTC(), cancellation).run(cloudKey, window, files, arguments(cloudKey), restate,
                    parallel, file -> progress.advance(1));
        }
        if (!quiet.on()) {
            summary(out, s, cloudKey);
        }
        if (!s.reconciled()) {
            out.printf(Locale.ROOT, "import-json: warning: %s: some documents do not reconcile with their own"
                    + " totals (loaded and flagged; see metrics.anomaly for run %d)%n", Phrases.count(s.anomalies(), "anomaly"),
                    s.runId());
        }
        out.flush();
        if (!s.failures().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            for (ArchiveImport.Failure failure : s.failures()) {
                err.println(failure.file() + ": " + failure.reason());
            }
            err.flush();
            throw OsMetricsException.usage(String.format(Locale.ROOT,
                    "%s malformed or truncated, not loaded (listed above; the other files are loaded)",
                    Phrases.count(s.failures().size(), "file")));
        }
    }

    private void summary(PrintWriter out, ArchiveImport.Summary s, String cloudKey) {
        out.printf(Locale.ROOT, "import-json: %,d of %s loaded (%s, %s, %s) into cloud %s"
                        + " in %.1f s (run %d)%n", s.loadedFiles(), Phrases.count(s.files(), "file"), Phrases.count(s.ranges(), "range"),
                Phrases.count(s.servers(), "server"), Phrases.count(s.rows(), "row"), cloudKey,
                s.elapsed().toMillis() / 1000.0, s.runId());
        if (!s.emptyFiles().isEmpty()) {
            out.printf(Locale.ROOT, "import-json: %s: %s of the old script, no data%n",
                    Phrases.count(s.emptyFiles().size(), "empty file"),
                    s.emptyFiles().size() == 1 ? "a failed run" : "failed runs");
        }
        if (s.restatements() > 0) {
            out.printf(Locale.ROOT, "import-json: %s of closed windows %s (see metrics.restatement)%n",
                    Phrases.count(s.restatements(), "restatement"), restate ? "applied" : "logged, not applied: run with --restate to apply them");
        }
    }

    private String arguments(String cloudKey) {
        List<String> args = new ArrayList<>(List.of("--cloud", cloudKey));
        if (window != null) {
            args.add("--window " + window.label());
        }
        if (restate) {
            args.add("--restate");
        }
        args.addAll(inputs);
        String joined = String.join(" ", args);
        // the ledger keeps the command line; a glob over thousands of files (expanded by the shell) is cut
        return joined.length() > 2000 ? joined.substring(0, 2000) + " ... (" + inputs.size() + " arguments)" : joined;
    }

    /**
     * The cloud key {@code run} uses for the same settings, without connecting: the clouds.yaml entry, else
     * the auth URL's host[:port] and the region. {@code archive} when neither is known.
     */
    static String defaultCloudKey(Map<String, String> environment) {
        String cloudName = environment.get("OS_CLOUD");
        if (cloudName != null && !cloudName.isBlank()) {
            return cloudName.trim();
        }
        String authUrl = environment.get("OS_AUTH_URL");
        String region = environment.get("OS_REGION_NAME");
        if (authUrl != null && region != null && !region.isBlank()) {
            try {
                String authority = URI.create(authUrl.trim()).getRawAuthority();
                if (authority != null) {
                    return authority + "/" + region.trim();
                }
            } catch (IllegalArgumentException e) {
                throw OsMetricsException.config("OS_AUTH_URL is not a URL: give --cloud KEY for the documents");
            }
        }
        return "archive";
    }

    /** Files as given, folders walked for *.json, globs expanded; sorted per argument, no file twice. */
    static List<Path> expand(List<String> inputs) {
        Set<Path> files = new LinkedHashSet<>();
        for (String input : inputs) {
            int glob = indexOfGlob(input);
            if (glob >= 0) {
                List<Path> matched = glob(input, glob);
                if (matched.isEmpty()) {
                    throw OsMetricsException.usage("'" + input + "' matches no file");
                }
                files.addAll(matched);
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                files.addAll(walk(path, 
                        p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"), Integer.MAX_VALUE));
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw OsMetricsException.usage(input + ": no such file or folder");
            }
        }
        if (files.isEmpty()) {
            throw OsMetricsException.usage("no .json file in " + String.join(", ", inputs));
        }
        return List.copyOf(files);
    }

    private static int indexOfGlob(String input) {
        for (int i = 0; i < input.length(); i++) {
            if (GLOB_CHARACTERS.indexOf(input.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<Path> glob(String input, int firstGlob) {
        int slash = input.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : input.substring(0, slash));
        String pattern = input.substring(slash + 1);
        if (!Files.isDirectory(base)) {
            throw OsMetricsException.usage("'" + input + "': no folder " + base);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/").length;
        return walk(base, p -> matcher.matches(base.relativize(p)), depth);
    }

    private static List<Path> walk(Path base, java.util.function.Predicate<Path> accept, int depth) {
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(Files::isRegularFile).filter(accept).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw OsMetricsException.usage("cannot list " + base + ": " + e.getMessage());
        }
    }
}

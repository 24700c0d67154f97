package org.osmetrics.cli;

import java.nio.file.Path;
import java.util.Map;
import org.osmetrics.config.DatabaseSettings;
import picocli.CommandLine.Option;

/**
 * {@code --db-url}, declared once for every command that takes it ({@link DatabaseOptions} and {@code bench});
 * validated once, by {@link DatabaseSettings}. A command whose URL means something else says so with the key
 * {@code db-url} in its resource bundle ({@code bench}: the server of its scratch database).
 */
public final class DatabaseUrlOption {

    @Option(names = "--db-url", paramLabel = "JDBC_URL", descriptionKey = "db-url",
            description = "PostgreSQL JDBC URL (default: $OS_METRICS_DB_URL; with neither, the embedded "
                    + "PostgreSQL under --data-dir). User and password: $OS_METRICS_DB_USER, $OS_METRICS_DB_PASSWORD.")
    String dbUrl;

    /** The settings from this flag, the environment ({@code OS_METRICS_DB_*}) and the embedded data folder. */
    public DatabaseSettings settings(Path dataDir, Map<String, String> env) {
        return DatabaseSettings.resolve(dbUrl, dataDir, env);
    }
}

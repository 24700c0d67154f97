package org.osmetrics.config;

import java.nio.file.Path;
import java.util.Map;
import org.osmetrics.OsMetricsException;

/**
 * Where the data lives: a PostgreSQL server by JDBC URL, or (no URL) the embedded PostgreSQL whose files
 * are kept under {@code dataDir}. {@link #toString()} never shows the password.
 *
 * @param url      a {@code jdbc:postgresql:} URL, or null for the embedded database
 * @param user     the login, or null to use the URL's
 * @param password the password, or null to use the URL's
 * @param dataDir  the embedded database's folder (used only without a URL)
 */
public record DatabaseSettings(String url, String user, String password, Path dataDir) {

    public static final String URL_VARIABLE = "OS_METRICS_DB_URL";
    public static final String USER_VARIABLE = "OS_METRICS_DB_USER";
    public static final String PASSWORD_VARIABLE = "OS_METRICS_DB_PASSWORD";
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public DatabaseSettings {
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw OsMetricsException.config("--db-url/" + URL_VARIABLE
                    + " must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/osmetrics");
        }
        dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    }

    /** Flags beat the environment; with neither, the embedded database under {@code ./data}. */
    public static DatabaseSettings resolve(String urlFlag, Path dataDirFlag, Map<String, String> env) {
        String url = firstNonBlank(urlFlag, env.get(URL_VARIABLE));
        return new DatabaseSettings(url, blankToNull(env.get(USER_VARIABLE)),
                blankToNull(env.get(PASSWORD_VARIABLE)), dataDirFlag);
    }

    public boolean embedded() {
        return url == null;
    }

    /** A description safe for logs and messages: the URL without any password, or the data folder. */
    public String describe() {
        return embedded() ? "embedded PostgreSQL in " + dataDir.toAbsolutePath().normalize() : redactUrl(url);
    }

    /** Removes password parameters and user-info from a JDBC URL. */
    public static String redactUrl(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
                .replaceAll("(//)[^/@]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + (user == null ? "" : ", user=" + user)
                + (password == null ? "" : ", password=***") + "]";
    }

    private static String firstNonBlank(String a, String b) {
        return blankToNull(a) != null ? a.trim() : blankToNull(b);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

package org.osmetrics.report;

import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * The clouds of a database, by key ({@code metrics.cloud.cloud_key}, the {@code cloud} column of every report
 * view), for {@code --cloud KEY}: the Keystone URL's host and port and the region ({@code
 * keystone.example.org:5000/RegionOne}), or the cloud's name in clouds.yaml when {@code OS_CLOUD} chose it, or
 * {@code import-json --cloud}'s. Stateless.
 */
public final class CloudKeys {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** The table's name means nothing to a role without USAGE on its schema: that is asked first. */
    static final String CAN_READ_CLOUDS = SQL.locate(CloudKeys.class, "canReadClouds");
    private static final String CLOUDS = SQL.locate(CloudKeys.class, "clouds");
    /** A reader role (schema report only) learns the clouds from the coverage view. */
    private static final String CLOUDS_OF_REPORTS = SQL.locate(CloudKeys.class, "cloudsOfReports");

    private CloudKeys() {
    }

    /** Every cloud's key, in the database's order. */
    public static List<String> read(DataSource dataSource) {
        try {
            return Jdbi.create(dataSource).withHandle(CloudKeys::read);
        } catch (JdbiException e) {
            throw OsMetricsException.database("cannot read the clouds of the database: " + e.getMessage(), e);
        }
    }

    /** As {@link #read(DataSource)}, on a handle of the caller (left open). */
    static List<String> read(Handle handle) {
        boolean tables = handle.createQuery(CAN_READ_CLOUDS).mapTo(Boolean.class).one();
        return List.copyOf(handle.createQuery(tables ? CLOUDS : CLOUDS_OF_REPORTS).mapTo(String.class).list());
    }

    /** {@code cloud} when it is one of {@code known}, else a usage error (exit 2) that lists them. */
    public static String require(String cloud, List<String> known) {
        if (!known.contains(cloud)) {
            throw OsMetricsException.usage("unknown cloud '" + cloud + "' (--cloud); " + (known.isEmpty()
                    ? "the database has no cloud yet" : "clouds in the database: " + String.join(", ", known)));
        }
        return cloud;
    }

    /**
     * The note an export of every cloud prints when the database has several, or null:
     * {@code 2 clouds in the database (a, b): exporting all; --cloud KEY picks one}.
     */
    public static String allCloudsNote(List<String> known) {
        return known.size() < 2 ? null : known.size() + " clouds in the database (" + String.join(", ", known)
                + "): exporting all; --cloud KEY picks one";
    }
}

package org.osmetrics.load;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;
import org.osmetrics.transform.WindowGrid;

/** Finds or creates the row of a cloud and guards its window grid. Thread-safe (stateless over Jdbi). */
public final class CloudRepository {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    /** The grid of a new cloud when none is asked for. */
    public static final WindowGrid DEFAULT_GRID = WindowGrid.ofSeconds(3600);

    private final Jdbi jdbi;

    public CloudRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The cloud with this key, created on first use. {@code requested} (null: keep the stored grid, or
     * {@link #DEFAULT_GRID} for a new cloud) may change the grid only while the cloud has no data.
     *
     * @throws OsMetricsException exit 2 when the grid differs from the one the cloud's data is stored on
     */
    public Cloud resolve(String key, WindowGrid requested) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate(SQL.locate(CloudRepository.class, "insert"))
                    .bind("key", key)
                    .bind("seconds", (requested == null ? DEFAULT_GRID : requested).seconds())
                    .execute();
            var row = handle.createQuery(SQL.locate(CloudRepository.class, "lockByKey"))
                    .bind("key", key)
                    .map((rs, ctx) -> new Cloud(rs.getInt("cloud_id"), key, WindowGrid.ofSeconds(rs.getInt("window_seconds"))))
                    .one();
            if (requested == null || requested.equals(row.grid())) {
                return row;
            }
            boolean hasData = handle.createQuery(SQL.locate(CloudRepository.class, "hasData"))
                    .bind("id", row.cloudId())
                    .mapTo(Boolean.class)
                    .one();
            if (hasData) {
                throw OsMetricsException.usage("cloud " + key + " stores its usage on a " + row.grid().label()
                        + " window grid, not " + requested.label() + ": run with --window " + row.grid().label()
                        + " (the grid is fixed once data exists)");
            }
            handle.createUpdate(SQL.locate(CloudRepository.class, "setGrid"))
                    .bind("seconds", requested.seconds())
                    .bind("id", row.cloudId())
                    .execute();
            return new Cloud(row.cloudId(), key, requested);
        });
    }

    /** The cloud with this key, if it was ever loaded. */
    public Optional<Cloud> find(String key) {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(CloudRepository.class, "findByKey"))
                .bind("key", key)
                .map((rs, ctx) -> new Cloud(rs.getInt("cloud_id"), key, WindowGrid.ofSeconds(rs.getInt("window_seconds"))))
                .findOne());
    }

    /** Every cloud with its billing settings, by key. */
    public List<CloudBilling> billing() {
        return jdbi.withHandle(handle -> handle.createQuery(SQL.locate(CloudRepository.class, "billing"))
                .map((rs, ctx) -> new CloudBilling(rs.getInt("cloud_id"), rs.getString("cloud_key"),
                        WindowGrid.ofSeconds(rs.getInt("window_seconds")), instant(rs.getObject("billing_start", OffsetDateTime.class)),
                        ZoneId.of(rs.getString("time_zone")), instant(rs.getObject("first_window", OffsetDateTime.class)),
                        instant(rs.getObject("loaded_until", OffsetDateTime.class))))
                .list());
    }

    /** The billing settings of the cloud with this key; exit 2 naming the known keys when there is none. */
    public CloudBilling requireBilling(String key) {
        List<CloudBilling> all = billing();
        return all.stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow(() -> OsMetricsException.usage(
                "no cloud '" + key + "' in this database; known clouds: "
                        + (all.isEmpty() ? "none (a run, backfill or import-json creates one)"
                                : all.stream().map(CloudBilling::key).collect(Collectors.joining(", ")))
                        + " (see 'os-metrics clouds list')"));
    }

    /**
     * Sets a cloud's billing start (null clears it) and time zone. The billing start must be a window start of
     * the cloud's grid; the zone must fit the grid from the billing start on ({@link CloudBilling#requireZoneFitsGrid}).
     */
    public CloudBilling setBilling(String key, Instant billingStart, ZoneId timeZone) {
        CloudBilling cloud = requireBilling(key);
        if (billingStart != null && !cloud.grid().isAligned(billingStart)) {
            throw OsMetricsException.usage("billing start " + billingStart + " is not a window start of cloud " + key
                    + "'s " + cloud.grid().label() + " grid (windows are cut in UTC): use a start of a "
                    + cloud.grid().label() + " window");
        }
        CloudBilling.requireZoneFitsGrid(timeZone, cloud.grid(), billingStart);
        jdbi.useHandle(handle -> handle.createUpdate(
                        SQL.locate(CloudRepository.class, "setBilling"))
                .bind("start", billingStart == null ? null : billingStart.atOffset(java.time.ZoneOffset.UTC))
                .bind("zone", timeZone.getId())
                .bind("id", cloud.cloudId())
                .execute());
        return requireBilling(key);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

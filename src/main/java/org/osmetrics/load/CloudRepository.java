package org.osmetrics.load;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.osmetrics.OsMetricsException;
import org.osmetrics.transform.WindowGrid;

/** Finds or creates the row of a cloud and guards its window grid. Thread-safe (stateless over Jdbi). */
public final class CloudRepository {
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
            handle.createUpdate("INSERT INTO metrics.cloud (cloud_key, window_seconds) VALUES (:key, :seconds)"
                            + " ON CONFLICT (cloud_key) DO NOTHING")
                    .bind("key", key)
                    .bind("seconds", (requested == null ? DEFAULT_GRID : requested).seconds())
                    .execute();
            var row = handle.createQuery("SELECT cloud_id, window_seconds FROM metrics.cloud WHERE cloud_key = :key FOR UPDATE")
                    .bind("key", key)
                    .map((rs, ctx) -> new Cloud(rs.getInt("cloud_id"), key, WindowGrid.ofSeconds(rs.getInt("window_seconds"))))
                    .one();
            if (requested == null || requested.equals(row.grid())) {
                return row;
            }
            boolean hasData = handle.createQuery("SELECT EXISTS (SELECT 1 FROM metrics.extracted_range WHERE cloud_id = :id)")
                    .bind("id", row.cloudId())
                    .mapTo(Boolean.class)
                    .one();
            if (hasData) {
                throw OsMetricsException.usage("cloud " + key + " stores its usage on a " + row.grid().label()
                        + " window grid, not " + requested.label() + ": run with --window " + row.grid().label()
                        + " (the grid is fixed once data exists)");
            }
            handle.createUpdate("UPDATE metrics.cloud SET window_seconds = :seconds WHERE cloud_id = :id")
                    .bind("seconds", requested.seconds())
                    .bind("id", row.cloudId())
                    .execute();
            return new Cloud(row.cloudId(), key, requested);
        });
    }

    /** The cloud with this key, if it was ever loaded. */
    public Optional<Cloud> find(String key) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT cloud_id, window_seconds FROM metrics.cloud WHERE cloud_key = :key")
                .bind("key", key)
                .map((rs, ctx) -> new Cloud(rs.getInt("cloud_id"), key, WindowGrid.ofSeconds(rs.getInt("window_seconds"))))
                .findOne());
    }
}

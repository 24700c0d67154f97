package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.config.DatabaseSettings;
import org.osmetrics.load.Database;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.ChildProcess;
import org.osmetrics.testing.SimulatorLogins;

/**
 * Passwords and tokens never appear in the output of a real {@code os-metrics run --debug} (every logger,
 * the JDK HTTP client's included), in the ledger, in the raw payloads, nor in the command lines of the processes it
 * starts (the embedded PostgreSQL).
 */
class SecretsTest {
    /** Every token of the simulated Keystone starts so (Fernet-like). */
    private static final String TOKEN_PREFIX = "gAAAAA";
    private static final String DB_PASSWORD = "db-password-never-printed";

    @TempDir
    Path dataDir;

    @Test
    void debugRunOnTheEmbeddedDatabaseShowsNoPasswordNorToken() {
        Instant now = Instant.now();
        SimCloud cloud = SimCloud.generate(71, 2, 20, now.minus(Duration.ofDays(3)), now.minus(Duration.ofHours(1)));
        try (SimServer sim = SimServer.start(cloud, Clock.systemUTC())) {
            Map<String, String> env = new java.util.HashMap<>(SimulatorLogins.admin(sim));
            env.put("OS_METRICS_DB_PASSWORD", DB_PASSWORD); // unused by the embedded server; must not leak either
            sim.faults().delayNext(Duration.ofSeconds(2)); // keeps the run alive while its children are looked at
            List<String> children = new ArrayList<>();
            String output;
            try (ChildProcess child = ChildProcess.start(env, dataDir.resolve("run.log"), "--debug", "run", "--all-projects",
                    "--window", "1d", "--initial-lookback", "2d", "--data-dir", dataDir.resolve("data").toString())) {
                // every command line seen until the server's: a second look could fall between initdb's processes
                // and the server's start, or after the run
                child.awaitUntil(() -> {
                    List<String> seen = child.descendantCommandLines();
                    children.addAll(seen);
                    return seen.stream().anyMatch(c -> c.contains("postgres"));
                }, Duration.ofSeconds(60));
                int code = child.waitFor(Duration.ofSeconds(90));
                output = child.output();
                assertThat(code).as(output).isZero();
            }

            assertThat(children).as("the embedded PostgreSQL was seen running").anyMatch(c -> c.contains("postgres"));
            assertThat(String.join("\n", children)).doesNotContain(SimCredentials.ADMIN_PASSWORD)
                    .doesNotContain(DB_PASSWORD).doesNotContain(TOKEN_PREFIX);
            assertThat(output).as("--debug output").contains("DEBUG").doesNotContain(SimCredentials.ADMIN_PASSWORD)
                    .doesNotContain(DB_PASSWORD).doesNotContain(TOKEN_PREFIX);

            try (Database database = Database.open(new DatabaseSettings(null, null, null, dataDir.resolve("data")))) {
                Jdbi jdbi = database.jdbi();
                String stored = jdbi.withHandle(h -> h.createQuery("SELECT concat_ws('|', (SELECT string_agg(concat_ws('|',"
                        + " command, arguments, error), '|') FROM metrics.run), (SELECT string_agg(url || body::text, '|')"
                        + " FROM metrics.raw_page))").mapTo(String.class).one());
                assertThat(stored).as("ledger and raw pages").contains("os-simple-tenant-usage")
                        .doesNotContain(SimCredentials.ADMIN_PASSWORD).doesNotContain(TOKEN_PREFIX);
            }
        }
    }
}

package org.osmetrics.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;

/**
 * The OS_* environment of the simulator's admin, for commands run in-process or in a child JVM (secrets
 * travel in the environment, never as arguments), and sources connected with it.
 */
public final class SimEnvironment {

    private SimEnvironment() {
    }

    /** OS_* variables of the simulator's admin user; HOME points at an empty folder so no clouds.yaml is read. */
    public static Map<String, String> admin(SimServer sim) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Path.of("target", "no-home").toAbsolutePath().toString());
        env.put("OS_AUTH_URL", sim.authUrl());
        env.put("OS_USERNAME", SimCredentials.ADMIN_USER);
        env.put("OS_PASSWORD", SimCredentials.ADMIN_PASSWORD);
        env.put("OS_USER_DOMAIN_NAME", SimCredentials.DOMAIN_NAME);
        env.put("OS_PROJECT_NAME", SimCredentials.ADMIN_PROJECT);
        env.put("OS_PROJECT_DOMAIN_ID", SimCredentials.DOMAIN_ID);
        return env;
    }

    /** Settings of the simulator's admin with a daily call span and short retries. */
    public static OpenStackSettings adminSettings(SimServer sim, int pageSize) {
        ClientTuning tuning = new ClientTuning(pageSize, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), admin(sim), tuning);
    }

    /** A new connection to the simulator as its admin. */
    public static OpenStackUsageSource connect(SimServer sim, Clock clock) {
        return OpenStackUsageSource.connect(adminSettings(sim, 200), clock);
    }
}

package org.osmetrics.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.extract.OpenStackUsageSource;
import org.osmetrics.sim.SimServer;

/** Sources connected to the simulator as its admin ({@link SimulatorLogins}), for pipeline tests. */
public final class SimEnvironment {

    private SimEnvironment() {
    }

    /** Settings of the simulator's admin with a daily call span and short retries. */
    public static OpenStackSettings adminSettings(SimServer sim, int pageSize) {
        ClientTuning tuning = new ClientTuning(pageSize, Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), SimulatorLogins.admin(sim), tuning);
    }

    /** A new connection to the simulator as its admin. */
    public static OpenStackUsageSource connect(SimServer sim, Clock clock) {
        return OpenStackUsageSource.connect(adminSettings(sim, 200), clock);
    }
}

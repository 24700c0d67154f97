package org.osmetrics.extract;

import java.time.Duration;
import java.util.Map;
import org.osmetrics.config.ClientTuning;
import org.osmetrics.config.OpenStackSetting;
import org.osmetrics.config.OpenStackSettings;
import org.osmetrics.config.OpenStackSettingsLoader;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;

/** Settings for the simulated cloud's fixed test identities (admin login from {@link SimulatorLogins}). */
final class SimulatedCloud {

    private SimulatedCloud() {
    }

    static Map<String, String> adminEnvironment(SimServer sim) {
        return SimulatorLogins.admin(sim);
    }

    static Map<String, String> applicationCredentialEnvironment(SimServer sim) {
        return SimulatorLogins.applicationCredential(sim);
    }

    static OpenStackSettings settings(Map<String, String> env, int pageSize) {
        return settings(env, pageSize, Duration.ofSeconds(30));
    }

    static OpenStackSettings settings(Map<String, String> env, int pageSize, Duration readTimeout) {
        return settings(env, pageSize, readTimeout, Duration.ofSeconds(20));
    }

    static OpenStackSettings settings(Map<String, String> env, int pageSize, Duration readTimeout, Duration retryFor) {
        ClientTuning tuning = new ClientTuning(pageSize, Duration.ofDays(1), retryFor,
                Duration.ofSeconds(5), readTimeout);
        return OpenStackSettingsLoader.load(Map.<OpenStackSetting, String>of(), env, tuning);
    }
}

package org.osmetrics.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimServer;

/** openrc-style environments for the simulated OpenStack's fixed identities, for tests of whole commands. */
public final class SimulatorLogins {

    private SimulatorLogins() {
    }

    /** The simulator's admin (all projects), with a HOME that holds no clouds.yaml. */
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
}

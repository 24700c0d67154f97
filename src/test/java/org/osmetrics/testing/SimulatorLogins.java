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
        Map<String, String> env = new HashMap<>(SimCredentials.adminOpenrc(sim.authUrl()));
        env.put("HOME", Path.of("target", "no-home").toAbsolutePath().toString());
        return env;
    }
}

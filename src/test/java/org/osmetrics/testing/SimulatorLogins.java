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

    /** The simulator's application credential (its member project), with a HOME that holds no clouds.yaml. */
    public static Map<String, String> applicationCredential(SimServer sim) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Path.of("target", "no-home").toAbsolutePath().toString());
        env.put("OS_AUTH_TYPE", "v3applicationcredential");
        env.put("OS_AUTH_URL", sim.authUrl());
        env.put("OS_APPLICATION_CREDENTIAL_ID", SimCredentials.APP_CREDENTIAL_ID);
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", SimCredentials.APP_CREDENTIAL_SECRET);
        return env;
    }
}

package org.osmetrics.faults;

import java.util.HashMap;
import java.util.Map;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;
import org.osmetrics.testing.TestDatabases.TestDatabase;

/** The environment of a command run against a simulator and a test database (secrets only in here). */
final class FaultEnvironment {

    private FaultEnvironment() {
    }

    static Map<String, String> of(SimServer sim, TestDatabase database) {
        Map<String, String> env = new HashMap<>(SimulatorLogins.admin(sim));
        env.put("OS_METRICS_DB_URL", database.jdbcUrl());
        return env;
    }
}

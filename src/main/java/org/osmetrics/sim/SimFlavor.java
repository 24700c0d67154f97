package org.osmetrics.sim;

import java.util.Objects;

/**
 * A Nova flavor as embedded in an instance. {@code name} may be empty: Nova reports {@code ""} when a
 * deleted instance's flavor is gone.
 */
public record SimFlavor(String name, int vcpus, int memoryMb, int rootGb, int ephemeralGb) {

    public SimFlavor {
        Objects.requireNonNull(name, "name");
        if (vcpus < 0 || memoryMb < 0 || rootGb < 0 || ephemeralGb < 0) {
            throw new IllegalArgumentException("flavor " + name + " has a negative size");
        }
    }

    /** Nova's {@code local_gb}: root plus ephemeral disk (swap is not counted). */
    public int localGb() {
        return rootGb + ephemeralGb;
    }
}

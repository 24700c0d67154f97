package org.osmetrics.report;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a rate card price applies to (the {@code resource} column of the rate card). */
public enum RateResource {
    /** One vCPU for one hour. */
    VCPU_HOUR("vcpu_hour"),
    /** One GiB of RAM (1024 MB) for one hour. */
    RAM_GB_HOUR("ram_gb_hour"),
    /** One GB of local disk (root + ephemeral) for one hour. */
    DISK_GB_HOUR("disk_gb_hour"),
    /** One server of the named flavor for one hour; takes precedence over the three above. */
    FLAVOR_HOUR("flavor_hour");

    private final String code;

    RateResource(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<RateResource> ofCode(String code) {
        return Arrays.stream(values()).filter(resource -> resource.code.equals(code)).findFirst();
    }

    static String codes() {
        return Arrays.stream(values()).map(RateResource::code).collect(Collectors.joining(", "));
    }
}

package org.osmetrics.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a {@link SimServer} starts: the catalog it hands out and Nova's and Keystone's initial settings.
 * Immutable; start from {@link #defaults()} and change with the {@code with*} methods. The settings
 * marked "runtime" can also be changed on a running server.
 *
 * @param regions                 regions the compute endpoint is listed in, in catalog order
 *                                (default {@code RegionOne} only)
 * @param computeInCatalog        false to leave compute out of the catalog (a client must fail)
 * @param computeUrlWithProjectId true for catalog URLs {@code .../v2.1/{project_id}}, false for
 *                                {@code .../v2.1}
 * @param maxLimit                Nova's {@code [api] max_limit} (runtime; default 1000)
 * @param minMicroversion         the lowest compute microversion (default 2.1)
 * @param maxMicroversion         the highest compute microversion (runtime; default 2.96; "2.1" makes
 *                                an old cloud without paging)
 * @param tokenLifetime           Keystone's token lifetime (runtime; default 1 h)
 * @param threads                 request-handling threads
 * @param tls                     the server's TLS context (its key and certificate) to serve HTTPS, or null
 *                                for plain HTTP (the default)
 */
public record SimOptions(
        List<String> regions,
        boolean computeInCatalog,
        boolean computeUrlWithProjectId,
        int maxLimit,
        String minMicroversion,
        String maxMicroversion,
        Duration tokenLifetime,
        int threads,
        SSLContext tls) {

    public SimOptions {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions: at least one region is needed");
        }
        for (String region : regions) {
            if (region.isBlank() || !region.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("regions: '" + region + "' is not a simple name");
            }
        }
        if (maxLimit < 0) {
            throw new IllegalArgumentException("maxLimit must be >= 0, got " + maxLimit);
        }
        Microversion min = Microversion.parse(minMicroversion);
        Microversion max = Microversion.parse(maxMicroversion);
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "minMicroversion " + minMicroversion + " is above maxMicroversion " + maxMicroversion);
        }
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("tokenLifetime must be positive, got " + tokenLifetime);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** One region {@code RegionOne}, compute at {@code .../compute/v2.1}, max_limit 1000, 2.1 to 2.96. */
    public static SimOptions defaults() {
        return new SimOptions(List.of("RegionOne"), true, false, 1000, "2.1", "2.96",
                Duration.ofHours(1), 8, null);
    }

    public SimOptions withRegions(String... names) {
        return new SimOptions(List.of(names), computeInCatalog, computeUrlWithProjectId, maxLimit,
                minMicroversion, maxMicroversion, tokenLifetime, threads, tls);
    }

    public SimOptions withoutComputeInCatalog() {
        return new SimOptions(regions, false, computeUrlWithProjectId, maxLimit, minMicroversion,
                maxMicroversion, tokenLifetime, threads, tls);
    }

    public SimOptions withComputeUrlWithProjectId(boolean withProjectId) {
        return new SimOptions(regions, computeInCatalog, withProjectId, maxLimit, minMicroversion,
                maxMicroversion, tokenLifetime, threads, tls);
    }

    public SimOptions withMaxLimit(int limit) {
        return new SimOptions(regions, computeInCatalog, computeUrlWithProjectId, limit, minMicroversion,
                maxMicroversion, tokenLifetime, threads, tls);
    }

    public SimOptions withMaxMicroversion(String version) {
        return new SimOptions(regions, computeInCatalog, computeUrlWithProjectId, maxLimit, minMicroversion,
                version, tokenLifetime, threads, tls);
    }

    public SimOptions withTokenLifetime(Duration lifetime) {
        return new SimOptions(regions, computeInCatalog, computeUrlWithProjectId, maxLimit, minMicroversion,
                maxMicroversion, lifetime, threads, tls);
    }

    public SimOptions withThreads(int count) {
        return new SimOptions(regions, computeInCatalog, computeUrlWithProjectId, maxLimit, minMicroversion,
                maxMicroversion, tokenLifetime, count, tls);
    }

    /** Serves HTTPS with this context's key and certificate instead of plain HTTP. */
    public SimOptions withTls(SSLContext context) {
        return new SimOptions(regions, computeInCatalog, computeUrlWithProjectId, maxLimit, minMicroversion,
                maxMicroversion, tokenLifetime, threads, Objects.requireNonNull(context, "context"));
    }
}

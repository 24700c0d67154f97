package org.osmetrics.extract;

import java.net.URI;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.EndpointInterface;

/**
 * Picks Nova's endpoint from a token's catalog: service type {@code compute}, the configured interface and
 * region. Refuses to guess between regions, and a catalog without compute is an error, never "no usage".
 */
final class ComputeEndpoints {

    /** The chosen endpoint and the region it is in. */
    record Resolved(URI url, String region) {
    }

    private ComputeEndpoints() {
    }

    static Resolved resolve(List<AuthToken.CatalogEndpoint> catalog, String region, EndpointInterface endpointInterface,
                            String principal) {
        List<AuthToken.CatalogEndpoint> compute = catalog.stream()
                .filter(e -> "compute".equals(e.serviceType())).toList();
        if (compute.isEmpty()) {
            throw OsMetricsException.config("the service catalog of " + principal + " has no compute (Nova) service "
                    + "(it has: " + catalog.stream().map(AuthToken.CatalogEndpoint::serviceType)
                    .collect(Collectors.toCollection(TreeSet::new)) + "): os-metrics needs Nova's compute endpoint");
        }
        List<AuthToken.CatalogEndpoint> facing = compute.stream()
                .filter(e -> endpointInterface.catalogName().equals(e.interfaceName())).toList();
        if (facing.isEmpty()) {
            throw OsMetricsException.config("the compute service has no " + endpointInterface.catalogName()
                    + " endpoint (it has: " + compute.stream().map(AuthToken.CatalogEndpoint::interfaceName)
                    .collect(Collectors.toCollection(TreeSet::new)) + "): set OS_INTERFACE/--os-interface");
        }
        TreeSet<String> regions = facing.stream().map(AuthToken.CatalogEndpoint::region)
                .collect(Collectors.toCollection(TreeSet::new));
        List<AuthToken.CatalogEndpoint> chosen;
        if (region != null) {
            chosen = facing.stream().filter(e -> region.equals(e.region())).toList();
            if (chosen.isEmpty()) {
                throw OsMetricsException.config("the compute service has no " + endpointInterface.catalogName()
                        + " endpoint in region '" + region + "' (regions: " + String.join(", ", regions)
                        + "): fix OS_REGION_NAME/--os-region-name");
            }
        } else if (regions.size() > 1) {
            throw OsMetricsException.config("the compute service has endpoints in several regions ("
                    + String.join(", ", regions) + "): choose one with OS_REGION_NAME or --os-region-name");
        } else {
            chosen = facing;
        }
        AuthToken.CatalogEndpoint endpoint = chosen.get(0);
        try {
            return new Resolved(URI.create(endpoint.url().replaceAll("/+$", "")), endpoint.region());
        } catch (IllegalArgumentException e) {
            throw new OsMetricsException(ExitCode.CONFIG, "the catalog's compute URL '" + endpoint.url() + "' is not a URL", e);
        }
    }
}

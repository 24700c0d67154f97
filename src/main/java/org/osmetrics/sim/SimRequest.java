package org.osmetrics.sim;

import java.util.List;
import java.util.Map;

/**
 * One request the simulator received, for assertions. Headers are as sent except that the value of
 * {@code X-Auth-Token} and {@code X-Subject-Token} is replaced by {@code ***}; request bodies (which
 * hold passwords) are never kept.
 *
 * @param pathAndQuery the raw path and query, e.g. {@code /compute/v2.1/os-simple-tenant-usage?start=...}
 * @param headers      header names in lower case
 * @param status       the status the simulator answered (0 when the connection was dropped)
 */
public record SimRequest(String method, String pathAndQuery, Map<String, List<String>> headers, int status) {

    public SimRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isUsageCall() {
        return pathAndQuery.contains("/os-simple-tenant-usage");
    }
}

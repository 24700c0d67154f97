package org.osmetrics.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.osmetrics.OsMetricsException;

/**
 * One parsed page of {@code os-simple-tenant-usage}: its tenants (with this page's servers and partial
 * totals) and the marker of the next page. Every field Nova documents is read; a missing or mistyped one
 * is an error naming the URL and the field, never a silently short list. Unknown fields are skipped here
 * and kept in the raw page.
 */
record UsagePage(List<TenantPart> tenants, String nextMarker) {

    /** A tenant's part of one page. */
    record TenantPart(String tenantId, List<ServerUsage> servers, PageTotals totals, Instant start, Instant stop) {
    }

    /**
     * The tree reader. Why it stays beside {@link UsagePageReader} (issue #13): it reads the archived documents
     * ({@link ArchivedUsage}) and every page the streaming reader declines, naming the URL and field of what is
     * wrong; the streaming reader is the fast path at the benchmark's speed and accepts only what this accepts.
     *
     * @param allProjects true for the list call ({@code tenant_usages}), false for the show call ({@code tenant_usage})
     */
    static UsagePage parse(JsonNode root, boolean allProjects, String url) {
        Fields fields = new Fields(url);
        List<TenantPart> tenants = new ArrayList<>();
        if (allProjects) {
            JsonNode list = root.get("tenant_usages");
            if (list == null || !list.isArray()) {
                throw fields.malformed("no 'tenant_usages' array");
            }
            for (JsonNode tenant : list) {
                tenants.add(tenant(tenant, fields));
            }
        } else {
            JsonNode tenant = root.get("tenant_usage");
            if (tenant == null || !tenant.isObject()) {
                throw fields.malformed("no 'tenant_usage' object");
            }
            if (!tenant.isEmpty()) { // {} is Nova's answer for a project without usage
                tenants.add(tenant(tenant, fields));
            }
        }
        return new UsagePage(tenants, nextMarker(root.get(allProjects ? "tenant_usages_links" : "tenant_usage_links"), fields));
    }

    private static TenantPart tenant(JsonNode tenant, Fields fields) {
        String tenantId = fields.text(tenant, "tenant_id");
        JsonNode rows = tenant.get("server_usages");
        if (rows == null || !rows.isArray()) {
            throw fields.malformed("tenant " + tenantId + " has no 'server_usages' array");
        }
        List<ServerUsage> servers = new ArrayList<>();
        for (JsonNode row : rows) {
            servers.add(new ServerUsage(
                    fields.text(row, "instance_id"),
                    fields.text(row, "tenant_id"),
                    row.hasNonNull("name") ? row.get("name").asText() : null,
                    fields.number(row, "hours"),
                    row.hasNonNull("flavor") ? row.get("flavor").asText() : "",
                    fields.integer(row, "vcpus"),
                    fields.integer(row, "memory_mb"),
                    fields.integer(row, "local_gb"),
                    fields.time(row, "started_at"),
                    row.hasNonNull("ended_at") ? fields.time(row, "ended_at") : null,
                    fields.text(row, "state"),
                    fields.longInteger(row, "uptime")));
        }
        PageTotals totals = new PageTotals(servers.size(), fields.number(tenant, "total_hours"),
                fields.number(tenant, "total_vcpus_usage"), fields.number(tenant, "total_memory_mb_usage"),
                fields.number(tenant, "total_local_gb_usage"));
        return new TenantPart(tenantId, servers, totals, fields.time(tenant, "start"), fields.time(tenant, "stop"));
    }

    /** The marker of the {@code rel=next} link, taken from its query (the link's host is not trusted). */
    private static String nextMarker(JsonNode links, Fields fields) {
        if (links == null || links.isNull()) {
            return null;
        }
        for (JsonNode link : links) {
            if ("next".equals(link.path("rel").asText())) {
                String marker = markerOf(link.path("href").asText());
                if (marker == null) {
                    throw fields.malformed("a next link without a marker");
                }
                return marker;
            }
        }
        return null;
    }

    /** The {@code marker} parameter of a next link's query, decoded; null when it has none. */
    static String markerOf(String href) {
        String query = URI.create(href).getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("marker=")) {
                    return java.net.URLDecoder.decode(parameter.substring(7), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    /** Typed field access that names the URL and field in its errors. */
    private record Fields(String url) {

        OsMetricsException malformed(String what) {
            return OsMetricsException.source("unusable usage response from " + url + ": " + what, null);
        }

        private JsonNode required(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw malformed("field '" + field + "' is missing in " + abbreviate(node));
            }
            return value;
        }

        String text(JsonNode node, String field) {
            JsonNode value = required(node, field);
            if (!value.isTextual()) {
                throw malformed("field '" + field + "' is not a string in " + abbreviate(node));
            }
            return value.asText();
        }

        double number(JsonNode node, String field) {
            JsonNode value = required(node, field);
            if (!value.isNumber()) {
                throw malformed("field '" + field + "' is not a number in " + abbreviate(node));
            }
            return value.doubleValue();
        }

        int integer(JsonNode node, String field) {
            JsonNode value = required(node, field);
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw malformed("field '" + field + "' is not an integer in " + abbreviate(node));
            }
            return value.intValue();
        }

        long longInteger(JsonNode node, String field) {
            JsonNode value = required(node, field);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw malformed("field '" + field + "' is not an integer in " + abbreviate(node));
            }
            return value.longValue();
        }

        Instant time(JsonNode node, String field) {
            String text = text(node, field);
            try {
                return NovaTime.parse(text);
            } catch (DateTimeParseException e) {
                throw malformed("field '" + field + "' is not a Nova time: '" + text + "'");
            }
        }

        private static String abbreviate(JsonNode node) {
            String text = node.toString();
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        }
    }
}

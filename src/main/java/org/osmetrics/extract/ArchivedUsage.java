package org.osmetrics.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osmetrics.OsMetricsException;

/**
 * Documents that the old script archived (and any saved Nova answer) read as extractions: one
 * {@code tenant_usage} object per file (the old script's {@code output/*.json}), Nova's show answer
 * {@code {"tenant_usage": {...}}}, or its list answer {@code {"tenant_usages": [...]}}. The same parser as
 * the live API reads them, so a document gives exactly what the API gave; the project and the range come
 * from the document, never from the file name. Thread-safe.
 */
public final class ArchivedUsage {
    /** The microversion the old script called (novaclient's default): no paging, cut at max_limit. */
    public static final String ARCHIVE_MICROVERSION = "2.1";
    /** Nova's default {@code max_limit}: a list of exactly this many servers was probably cut. */
    static final int NOVA_MAX_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ArchivedUsage() {
    }

    /**
     * Parses one document: an extraction per tenant it holds (scope: that project), closed, at microversion
     * {@value #ARCHIVE_MICROVERSION}, with the document as its raw page.
     *
     * @param name where the document came from (a file name), for messages and the raw page's URL
     * @throws OsMetricsException exit 2 with the reason when the document is not valid JSON of a known shape,
     *                            is truncated, misses a field or holds no tenant
     */
    public static List<UsageExtraction> parse(String body, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonProblem problem = new JsonProblem(e);
            throw OsMetricsException.usage(problem.truncated() ? "truncated JSON" + problem.where()
                    : "not valid JSON" + problem.where() + " (" + problem.reason() + ")");
        }
        boolean list;
        JsonNode page;
        if (root == null || !root.isObject()) {
            throw OsMetricsException.usage("not a JSON object: expected a tenant_usage object or {\"tenant_usages\": [...]}");
        } else if (root.has("tenant_usages")) {
            list = true;
            page = root;
        } else if (root.has("tenant_usage")) {
            list = false;
            page = root;
        } else if (root.has("tenant_id") || root.has("server_usages")) {
            list = false;
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.set("tenant_usage", root);
            page = wrapped;
        } else {
            throw OsMetricsException.usage("no tenant_id, tenant_usage or tenant_usages: not a Nova tenant usage document");
        }
        UsagePage parsed;
        try {
            parsed = UsagePage.parse(page, list, name);
        } catch (OsMetricsException e) {
            throw OsMetricsException.usage(e.getMessage().replace("unusable usage response from " + name + ": ", ""));
        }
        if (parsed.tenants().isEmpty()) {
            throw OsMetricsException.usage("holds no tenant usage: no project and range to load");
        }
        Map<String, List<UsagePage.TenantPart>> byTenant = new LinkedHashMap<>();
        for (UsagePage.TenantPart part : parsed.tenants()) {
            byTenant.computeIfAbsent(part.tenantId(), id -> new ArrayList<>()).add(part);
        }
        RawPage raw = new RawPage(0, "file:" + name, 200, ARCHIVE_MICROVERSION, body);
        // below 2.40 Nova cuts the whole list (not each tenant) at max_limit
        boolean truncationSuspected = list && parsed.tenants().stream().mapToInt(t -> t.servers().size()).sum() == NOVA_MAX_LIMIT;
        List<UsageExtraction> extractions = new ArrayList<>();
        for (List<UsagePage.TenantPart> parts : byTenant.values()) {
            UsagePage.TenantPart first = parts.get(0);
            List<ServerUsage> servers = new ArrayList<>();
            List<PageTotals> totals = new ArrayList<>();
            for (UsagePage.TenantPart part : parts) {
                if (!part.start().equals(first.start()) || !part.stop().equals(first.stop())) {
                    throw OsMetricsException.usage("tenant " + first.tenantId() + " appears with two ranges ("
                            + first.start() + ".." + first.stop() + " and " + part.start() + ".." + part.stop() + ")");
                }
                servers.addAll(part.servers());
                totals.add(part.totals());
            }
            if (!first.start().isBefore(first.stop())) {
                throw OsMetricsException.usage("tenant " + first.tenantId() + ": start " + first.start()
                        + " is not before stop " + first.stop());
            }
            TenantUsage tenant = new TenantUsage(first.tenantId(), servers, totals, first.start(), first.stop());
            extractions.add(new UsageExtraction(Scope.project(first.tenantId()), first.start(), first.stop(),
                    first.stop(), null, false, ARCHIVE_MICROVERSION, truncationSuspected,
                    List.of(tenant), List.of(raw)));
        }
        return extractions;
    }
}

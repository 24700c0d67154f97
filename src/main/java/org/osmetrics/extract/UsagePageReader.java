package org.osmetrics.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a usage page with Jackson's streaming parser straight into {@link UsagePage}, without building a
 * JSON tree: the fast path of {@link UsagePage#parse}. It accepts only what that tree reading accepts
 * without question and gives the same values (the same doubles: both take the parser's double; the same
 * times, the same defaults for a missing name or flavor); on anything else (a missing or mistyped field, a
 * key given twice, unreadable JSON, trailing content) it answers null and the caller reads the page with
 * the tree reader, whose error names the field and the URL as before.
 *
 * <p>The texts that repeat across rows (project ids, flavor names, states) are shared through
 * {@link #canonical}: one string per distinct value over an extraction, not one per row. One reader per
 * extraction; not thread-safe.
 */
final class UsagePageReader {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** A page the fast path does not take: read it with the tree reader. */
    private static final class NotPlain extends Exception {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private final Map<String, String> canonical = new HashMap<>();

    /** The page, or null when it must be read by the tree reader (which reports what is wrong). */
    UsagePage read(String body, boolean allProjects) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            UsagePage page = page(parser, allProjects);
            return parser.nextToken() == null ? page : null;
        } catch (NotPlain | IOException | RuntimeException e) {
            return null;
        }
    }

    private UsagePage page(JsonParser parser, boolean allProjects) throws IOException, NotPlain {
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        String listKey = allProjects ? "tenant_usages" : "tenant_usage";
        String linksKey = allProjects ? "tenant_usages_links" : "tenant_usage_links";
        List<UsagePage.TenantPart> tenants = null;
        String nextMarker = null;
        boolean links = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (key.equals(listKey)) {
                if (tenants != null) {
                    throw NotPlain.INSTANCE;
                }
                tenants = new ArrayList<>();
                if (allProjects) {
                    expect(value, JsonToken.START_ARRAY);
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        tenants.add(tenant(parser));
                    }
                } else {
                    expect(value, JsonToken.START_OBJECT);
                    UsagePage.TenantPart tenant = tenantOrEmpty(parser);
                    if (tenant != null) {
                        tenants.add(tenant);
                    }
                }
            } else if (key.equals(linksKey)) {
                if (links) {
                    throw NotPlain.INSTANCE;
                }
                links = true;
                nextMarker = value == JsonToken.VALUE_NULL ? null : nextMarker(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (tenants == null) {
            throw NotPlain.INSTANCE;
        }
        return new UsagePage(tenants, nextMarker);
    }

    private UsagePage.TenantPart tenant(JsonParser parser) throws IOException, NotPlain {
        expect(parser.currentToken(), JsonToken.START_OBJECT);
        UsagePage.TenantPart tenant = tenantOrEmpty(parser);
        if (tenant == null) {
            throw NotPlain.INSTANCE;
        }
        return tenant;
    }

    /** A tenant object from its START_OBJECT; null for {@code {}} (the show call's "no usage"). */
    private UsagePage.TenantPart tenantOrEmpty(JsonParser parser) throws IOException, NotPlain {
        String tenantId = null;
        List<ServerUsage> servers = null;
        double hours = 0;
        double vcpus = 0;
        double memory = 0;
        double disk = 0;
        Instant start = null;
        Instant stop = null;
        int seen = 0;
        int fields = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            fields++;
            int bit;
            switch (key) {
                case "tenant_id" -> {
                    bit = 1;
                    tenantId = canonicalText(parser, value);
                }
                case "server_usages" -> {
                    bit = 2;
                    expect(value, JsonToken.START_ARRAY);
                    servers = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        servers.add(server(parser));
                    }
                }
                case "total_hours" -> {
                    bit = 4;
                    hours = number(parser, value);
                }
                case "total_vcpus_usage" -> {
                    bit = 8;
                    vcpus = number(parser, value);
                }
                case "total_memory_mb_usage" -> {
                    bit = 16;
                    memory = number(parser, value);
                }
                case "total_local_gb_usage" -> {
                    bit = 32;
                    disk = number(parser, value);
                }
                case "start" -> {
                    bit = 64;
                    start = time(parser, value);
                }
                case "stop" -> {
                    bit = 128;
                    stop = time(parser, value);
                }
                default -> {
                    bit = 0;
                    parser.skipChildren();
                }
            }
            if ((seen & bit) != 0) {
                throw NotPlain.INSTANCE; // a key given twice: the tree reader decides which one counts
            }
            seen |= bit;
        }
        if (fields == 0) {
            return null;
        }
        if (seen != 255) {
            throw NotPlain.INSTANCE;
        }
        PageTotals totals = new PageTotals(servers.size(), hours, vcpus, memory, disk);
        return new UsagePage.TenantPart(tenantId, servers, totals, start, stop);
    }

    private ServerUsage server(JsonParser parser) throws IOException, NotPlain {
        expect(parser.currentToken(), JsonToken.START_OBJECT);
        String instanceId = null;
        String tenantId = null;
        String name = null;
        double hours = 0;
        String flavor = "";
        int vcpus = 0;
        int memoryMb = 0;
        int localGb = 0;
        Instant startedAt = null;
        Instant endedAt = null;
        String state = null;
        long uptime = 0;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            int bit;
            switch (key) {
                case "instance_id" -> {
                    bit = 1;
                    instanceId = text(parser, value);
                }
                case "tenant_id" -> {
                    bit = 2;
                    tenantId = canonicalText(parser, value);
                }
                case "name" -> {
                    bit = 4;
                    name = value == JsonToken.VALUE_NULL ? null : text(parser, value);
                }
                case "hours" -> {
                    bit = 8;
                    hours = number(parser, value);
                }
                case "flavor" -> {
                    bit = 16;
                    flavor = value == JsonToken.VALUE_NULL ? "" : canonicalText(parser, value);
                }
                case "vcpus" -> {
                    bit = 32;
                    vcpus = integer(parser, value);
                }
                case "memory_mb" -> {
                    bit = 64;
                    memoryMb = integer(parser, value);
                }
                case "local_gb" -> {
                    bit = 128;
                    localGb = integer(parser, value);
                }
                case "started_at" -> {
                    bit = 256;
                    startedAt = time(parser, value);
                }
                case "ended_at" -> {
                    bit = 512;
                    endedAt = value == JsonToken.VALUE_NULL ? null : time(parser, value);
                }
                case "state" -> {
                    bit = 1024;
                    state = canonicalText(parser, value);
                }
                case "uptime" -> {
                    bit = 2048;
                    uptime = longInteger(parser, value);
                }
                default -> {
                    bit = 0;
                    parser.skipChildren();
                }
            }
            if ((seen & bit) != 0) {
                throw NotPlain.INSTANCE;
            }
            seen |= bit;
        }
        // required: instance_id, tenant_id, hours, vcpus, memory_mb, local_gb, started_at, state, uptime
        int required = 1 | 2 | 8 | 32 | 64 | 128 | 256 | 1024 | 2048;
        if ((seen & required) != required) {
            throw NotPlain.INSTANCE;
        }
        return new ServerUsage(instanceId, tenantId, name, hours, flavor, vcpus, memoryMb, localGb, startedAt,
                endedAt, state, uptime);
    }

    /** The marker of the first {@code rel=next} link, null without one; the links from their START_ARRAY. */
    private static String nextMarker(JsonParser parser) throws IOException, NotPlain {
        expect(parser.currentToken(), JsonToken.START_ARRAY);
        String marker = null;
        boolean found = false;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(parser.currentToken(), JsonToken.START_OBJECT);
            String rel = null;
            String href = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (key.equals("rel") || key.equals("href")) {
                    if ((key.equals("rel") ? rel : href) != null) {
                        throw NotPlain.INSTANCE;
                    }
                    String text = text(parser, value);
                    if (key.equals("rel")) {
                        rel = text;
                    } else {
                        href = text;
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (!found && "next".equals(rel)) {
                if (href == null) {
                    throw NotPlain.INSTANCE;
                }
                marker = UsagePage.markerOf(href);
                if (marker == null) {
                    throw NotPlain.INSTANCE; // the tree reader names "a next link without a marker"
                }
                found = true;
            }
        }
        return marker;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws NotPlain {
        if (actual != expected) {
            throw NotPlain.INSTANCE;
        }
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        expect(value, JsonToken.VALUE_STRING);
        return parser.getText();
    }

    private String canonicalText(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        String text = text(parser, value);
        String known = canonical.putIfAbsent(text, text);
        return known == null ? text : known;
    }

    private static double number(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        if (value == JsonToken.VALUE_NUMBER_FLOAT
                || value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getDoubleValue();
        }
        throw NotPlain.INSTANCE;
    }

    private static int integer(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        }
        throw NotPlain.INSTANCE;
    }

    private static long longInteger(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        throw NotPlain.INSTANCE;
    }

    private static Instant time(JsonParser parser, JsonToken value) throws IOException, NotPlain {
        String text = text(parser, value);
        try {
            return NovaTime.parse(text);
        } catch (DateTimeParseException e) {
            throw NotPlain.INSTANCE;
        }
    }
}

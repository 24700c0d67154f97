package org.osmetrics.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.OpenStackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's {@code os-simple-tenant-usage} read losslessly over raw HTTP: a Keystone v3 token, the compute
 * endpoint of the configured region and interface, the microversion negotiated from the endpoint's version
 * document (2.40 for paging where the cloud has it, else 2.1 with truncation flagged), every page merged per
 * project, every raw page kept. A 401 mid-run re-authenticates once and carries on; logins and renewals go
 * through the same bounded transport as the usage calls. One instance per run (or per worker of a run, from
 * one {@link #connector}); not thread-safe.
 */
public final class OpenStackUsageSource implements UsageSource {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackUsageSource.class);
    /** The first microversion with {@code limit}/{@code marker} paging. */
    static final int PAGING_MICROVERSION = 40;
    private static final Pattern VERSION_ROOT = Pattern.compile("^(.*?/v2(?:\\.\\d+)?)(?:/.*)?$");
    /** Renew a token that expires within this margin before using it. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

    private final OpenStackSettings settings;
    private final Clock clock;
    private final HttpTransport transport;
    private final KeystoneClient keystone;
    private AuthToken token;
    private final URI computeUrl;
    private final String region;
    private final String microversion;
    /** The minor part of the highest microversion the compute endpoint offers. */
    private int maxMinor;
    private OpenStackActionSource actions;

    private OpenStackUsageSource(OpenStackSettings settings, Clock clock, Set<String> answered) {
        this.settings = settings;
        this.clock = clock;
        this.transport = new HttpTransport(settings, new RetryPolicy(settings.tuning().retryFor(), new Random()), answered);
        this.keystone = new KeystoneClient(settings, transport);
        this.token = keystone.authenticate();
        ComputeEndpoints.Resolved compute = ComputeEndpoints.resolve(token.catalog(), settings.regionName(),
                settings.endpointInterface(), settings.principal());
        this.computeUrl = compute.url();
        this.region = compute.region();
        this.microversion = negotiateMicroversion();
        LOG.debug("compute endpoint {} (region {}, {}), microversion {}", computeUrl, region,
                settings.endpointInterface().catalogName(), microversion);
    }

    /** Authenticates, resolves the compute endpoint and negotiates the microversion. */
    public static OpenStackUsageSource connect(OpenStackSettings settings, Clock clock) {
        return connector(settings, clock).get();
    }

    /**
     * Connects sources of one run (a backfill's workers) that share which hosts have answered in the run: a
     * host that answered one of them keeps the full {@code --retry-for} when it stops accepting connections,
     * for all of them; one that never answered is given up after a few seconds.
     */
    public static Supplier<OpenStackUsageSource> connector(OpenStackSettings settings, Clock clock) {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        return () -> new OpenStackUsageSource(settings, clock, answered);
    }

    /** The OS_CLOUD name if one was used, else the auth URL's host[:port] and the region. */
    @Override
    public String cloudKey() {
        if (settings.cloudName() != null) {
            return settings.cloudName();
        }
        return settings.authUrl().getRawAuthority() + "/" + region;
    }

    @Override
    public String scopedProjectId() {
        return token.projectId();
    }

    /** The compute microversion every usage call is made at ("2.40", "2.1", or the forced one). */
    public String microversion() {
        return microversion;
    }

    /** The compute endpoint taken from the catalog. */
    public URI computeUrl() {
        return computeUrl;
    }

    @Override
    public UsageExtraction extract(Instant start, Instant end, Scope scope) {
        Instant extractedAt = clock.instant();
        if (!start.isBefore(extractedAt)) {
            throw OsMetricsException.usage("the range " + new TimeRange(start, end) + " starts at or after now ("
                    + extractedAt + "): Nova would answer negative hours; only ask for past ranges");
        }
        new TimeRange(start, end); // validates start < end
        boolean paged = minor(microversion) >= PAGING_MICROVERSION;
        Map<String, TenantAccumulator> tenants = new LinkedHashMap<>();
        Set<String> markers = new HashSet<>();
        Set<String> instances = new HashSet<>();
        List<RawPage> rawPages = new ArrayList<>();
        UsagePageReader reader = new UsagePageReader();
        boolean truncationSuspected = false;
        String marker = null;
        do {
            URI url = usageUrl(start, end, scope, paged, marker);
            HttpTransport.Response response = authorizedGet(url, Map.of(
                    "OpenStack-API-Version", "compute " + microversion,
                    "X-OpenStack-Nova-API-Version", microversion));
            checkUsageStatus(response, scope);
            rawPages.add(new RawPage(rawPages.size(), response.url(), response.status(), microversion, response.body()));
            UsagePage page = reader.read(response.body(), scope.isAllProjects());
            if (page == null) { // not the plain form: the tree reader takes it, or names what is wrong
                page = UsagePage.parse(KeystoneClient.readJson(response), scope.isAllProjects(), response.url());
            }
            int servers = 0;
            for (UsagePage.TenantPart part : page.tenants()) {
                for (ServerUsage server : part.servers()) {
                    if (!instances.add(server.instanceId())) {
                        throw OsMetricsException.source("server " + server.instanceId() + " came twice (again on "
                                + response.url() + "): Nova's paging is inconsistent; retry the range later", null);
                    }
                }
                servers += part.servers().size();
                tenants.computeIfAbsent(part.tenantId(), id -> new TenantAccumulator(id, part.start())).add(part);
            }
            LOG.debug("page {} of {}: {} tenants, {} servers", rawPages.size(), new TimeRange(start, end),
                    page.tenants().size(), servers);
            if (!paged) {
                truncationSuspected = servers > 0 && servers == settings.tuning().pageSize();
                break;
            }
            marker = page.nextMarker();
            if (marker != null && !markers.add(marker)) {
                throw OsMetricsException.source("Nova's next link repeats marker " + marker + " (at " + response.url()
                        + "): paging would loop; stopping", null);
            }
        } while (marker != null);
        if (truncationSuspected) {
            LOG.warn("{} of {} at microversion {} returned exactly {} servers: probably cut at Nova's max_limit "
                    + "(the cloud has no paging below 2.40)", scope, new TimeRange(start, end), microversion,
                    settings.tuning().pageSize());
        }
        List<TenantUsage> merged = tenants.values().stream().map(TenantAccumulator::toTenantUsage).toList();
        Instant stop = earliestStop(merged).orElse(end.isAfter(extractedAt) ? extractedAt : end);
        return new UsageExtraction(scope, start, end, stop, extractedAt, end.isAfter(extractedAt), microversion,
                truncationSuspected, merged, rawPages);
    }

    /**
     * The earliest stop any page echoed: every window that ends by it is closed for every server of the range,
     * whichever page listed it (each page of an open range is clamped to Nova's "now" of its own request).
     */
    private static Optional<Instant> earliestStop(List<TenantUsage> tenants) {
        return tenants.stream().flatMap(tenant -> tenant.pageStops().stream()).min(Comparator.naturalOrder());
    }

    /** Nova's instance actions over this source's connection (token, endpoint, retries). */
    @Override
    public Optional<ActionSource> actions() {
        if (actions == null) {
            actions = new OpenStackActionSource(this);
        }
        return Optional.of(actions);
    }

    /** The forced microversion (OS_COMPUTE_API_VERSION), or null. */
    String forcedMicroversion() {
        return settings.computeApiVersion();
    }

    int maxMinor() {
        return maxMinor;
    }

    int pageSize() {
        return settings.tuning().pageSize();
    }

    String principal() {
        return settings.principal();
    }

    /** GET at a microversion with the current token (renewed on a 401 once). */
    HttpTransport.Response novaGet(URI url, String atMicroversion) {
        return authorizedGet(url, Map.of(
                "OpenStack-API-Version", "compute " + atMicroversion,
                "X-OpenStack-Nova-API-Version", atMicroversion));
    }

    @Override
    public Map<String, String> projectNames() {
        renewIfExpiring();
        return keystone.projectNames(token);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient (Java 17) has nothing to close; its threads are daemons.
    }

    private URI usageUrl(Instant start, Instant end, Scope scope, boolean paged, String marker) {
        StringBuilder url = new StringBuilder(computeUrl.toString()).append("/os-simple-tenant-usage");
        if (!scope.isAllProjects()) {
            url.append('/').append(encode(scope.projectId()));
        }
        url.append("?start=").append(encode(NovaTime.format(start))).append("&end=").append(encode(NovaTime.format(end)));
        if (scope.isAllProjects()) {
            url.append("&detailed=1"); // the show call always has server_usages; 'detailed' there is a 400 from 2.75
        }
        if (paged) {
            url.append("&limit=").append(settings.tuning().pageSize());
            if (marker != null) {
                url.append("&marker=").append(encode(marker));
            }
        }
        return URI.create(url.toString());
    }

    private void checkUsageStatus(HttpTransport.Response response, Scope scope) {
        int status = response.status();
        if (status == 200) {
            return;
        }
        String nova = KeystoneClient.errorText(response);
        if (status == 403) {
            throw OsMetricsException.config(scope.isAllProjects()
                    ? "Nova refused the all-projects usage list to " + settings.principal() + " (HTTP 403" + nova
                            + "): policy os_compute_api:os-simple-tenant-usage:list needs the admin role; use admin "
                            + "credentials, or --project ID for one project"
                    : "Nova refused the usage of project " + scope.projectId() + " to " + settings.principal()
                            + " (HTTP 403" + nova + "): policy os_compute_api:os-simple-tenant-usage:show needs a "
                            + "reader role on that project, or admin");
        }
        if (status == 404) {
            throw OsMetricsException.source("Nova answered HTTP 404 for " + response.url() + nova + ": the compute "
                    + "endpoint of region " + region + " (" + settings.endpointInterface().catalogName()
                    + ") does not serve os-simple-tenant-usage; check the catalog and OS_INTERFACE", null);
        }
        throw OsMetricsException.source("Nova answered HTTP " + status + " for " + response.url() + nova, null);
    }

    /** GET with the current token; a 401 renews the token once and repeats the request. */
    private HttpTransport.Response authorizedGet(URI url, Map<String, String> headers) {
        renewIfExpiring();
        HttpTransport.Response response = transport.send("GET", url, withToken(headers), null);
        if (response.status() == 401) {
            LOG.info("token rejected at {} (HTTP 401): authenticating again", url);
            token = keystone.authenticate();
            response = transport.send("GET", url, withToken(headers), null);
            if (response.status() == 401) {
                throw OsMetricsException.config("Nova rejected a fresh token of " + settings.principal() + " for "
                        + url + " (HTTP 401): check that Keystone and Nova belong to the same cloud");
            }
        }
        return response;
    }

    private void renewIfExpiring() {
        if (token.expiresAt() != null && token.expiresAt().minus(EXPIRY_MARGIN).isBefore(clock.instant())) {
            LOG.info("token expires at {}: authenticating again", token.expiresAt());
            token = keystone.authenticate();
        }
    }

    private Map<String, String> withToken(Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("X-Auth-Token", token.id());
        return all;
    }

    /**
     * The microversion to use: the forced one (if the cloud has it), else 2.40 where the version document
     * says the cloud has it, else 2.1. Only parameters every version knows are sent, so 2.75+ is safe too.
     */
    private String negotiateMicroversion() {
        int max = maxMicroversion();
        this.maxMinor = max;
        String forced = settings.computeApiVersion();
        if (forced != null) {
            if (minor(forced) > max) {
                throw OsMetricsException.config("OS_COMPUTE_API_VERSION " + forced + " is above the compute API's "
                        + "maximum 2." + max + " at " + computeUrl);
            }
            return forced;
        }
        return max >= PAGING_MICROVERSION ? "2." + PAGING_MICROVERSION : "2.1";
    }

    /** The minor part of the highest microversion in the endpoint's version document (1 if it has none). */
    private int maxMicroversion() {
        Matcher matcher = VERSION_ROOT.matcher(computeUrl.toString());
        URI versionUrl = URI.create((matcher.matches() ? matcher.group(1) : computeUrl.toString()) + "/");
        HttpTransport.Response response = authorizedGet(versionUrl, Map.of());
        if (response.status() != 200) {
            LOG.warn("no compute version document at {} (HTTP {}): using microversion 2.1, without paging",
                    versionUrl, response.status());
            return 1;
        }
        JsonNode root = KeystoneClient.readJson(response);
        JsonNode version = root.get("version");
        if (version == null) {
            for (JsonNode candidate : root.path("versions")) {
                if ("CURRENT".equals(candidate.path("status").asText())) {
                    version = candidate;
                }
            }
        }
        String max = version == null ? "" : version.path("version").asText("");
        if (max.isEmpty()) {
            return 1;
        }
        try {
            return minor(max);
        } catch (IllegalArgumentException e) {
            throw new OsMetricsException(ExitCode.SOURCE, "the compute version document at " + versionUrl
                    + " has an unreadable version '" + max + "'", e);
        }
    }

    static int minor(String microversion) {
        String[] parts = microversion.split("\\.");
        if (parts.length != 2 || !parts[0].equals("2")) {
            throw new IllegalArgumentException("not a compute microversion: " + microversion);
        }
        return Integer.parseInt(parts[1]);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One tenant's pages merged in order, each page with its own totals and stop. */
    private static final class TenantAccumulator {
        private final String tenantId;
        private final Instant start;
        private final List<ServerUsage> servers = new ArrayList<>();
        private final List<PageTotals> totals = new ArrayList<>();
        private final List<Instant> stops = new ArrayList<>();

        TenantAccumulator(String tenantId, Instant start) {
            this.tenantId = tenantId;
            this.start = start;
        }

        void add(UsagePage.TenantPart part) {
            servers.addAll(part.servers());
            totals.add(part.totals());
            stops.add(part.stop());
        }

        TenantUsage toTenantUsage() {
            return new TenantUsage(tenantId, servers, totals, stops, start);
        }
    }
}

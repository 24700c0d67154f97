package org.osmetrics.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated OpenStack on loopback, over real HTTP: Keystone v3 (password and application-credential
 * tokens, a catalog, {@code GET /v3/projects}) under {@link #authUrl()}, and Nova's version document and
 * {@code os-simple-tenant-usage} (show and list, microversions 2.1 to 2.96, paging, policy, Nova's
 * formats and errors) under {@link #computeUrl()}, serving a {@link SimCloud}.
 *
 * <p>Identities are in {@link SimCredentials}. "Now" (Nova's clamp of {@code end}, uptimes, token
 * expiry) comes from the injected clock. Settings and {@link #faults()} can be changed while it runs;
 * every method is thread-safe. Close it to stop the server. With {@link SimOptions#withTls} it serves
 * HTTPS instead, and every URL it hands out (auth URL, catalog, links) starts with {@code https://}.
 *
 * <pre>{@code
 * try (SimServer sim = SimServer.start(SimCloud.generate(1, 5, 200, from, to), clock)) {
 *     String auth = sim.authUrl();   // http://127.0.0.1:PORT/identity/v3
 * }
 * }</pre>
 */
public final class SimServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimServer.class);
    private static final int LOG_CAPACITY = 10_000;
    static final List<String> INTERFACES = List.of("public", "internal", "admin");
    /**
     * The JDK server's switch for TCP_NODELAY, read once when its first server is made. Without it the last
     * small segment of every chunked page waits for the client's delayed ACK (~40 ms a page: 3 of the 4 s of
     * a 100,000-server extraction were idle, BENCHMARKS.md). Bytes on the wire are the same.
     */
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final Clock clock;
    private final SimOptions options;
    private final String baseUrl;
    private final String memberProjectId;
    private final Tokens tokens = new Tokens();
    private final SimFaults faults = new SimFaults();
    private final Latency.Applied latency = new Latency.Applied();
    private final Deque<SimRequest> requests = new ArrayDeque<>();
    private final Map<Endpoint, AtomicLong> calls = new EnumMap<>(Endpoint.class);
    private final KeystoneApi keystone;
    private final NovaApi nova;
    private volatile SimCloud cloud;
    private volatile int maxLimit;
    private volatile Microversion maxMicroversion;
    private volatile Duration tokenLifetime;
    private volatile boolean instanceActionsForbidden;

    /** The endpoints whose calls the simulator counts ({@link #calls(Endpoint)}). */
    public enum Endpoint {
        /** Keystone, any path under {@code /identity}. */
        IDENTITY,
        /** Nova's version documents. */
        VERSIONS,
        /** {@code os-simple-tenant-usage}, list and show. */
        USAGE,
        /** The plain server list {@code GET /servers}. */
        SERVERS,
        /** A server's action list {@code GET /servers/{id}/os-instance-actions}. */
        ACTIONS,
        /** One action with its events {@code GET /servers/{id}/os-instance-actions/{request_id}}. */
        ACTION,
        /** Anything else. */
        OTHER
    }

    private SimServer(SimCloud cloud, Clock clock, SimOptions options) throws IOException {
        for (Endpoint endpoint : Endpoint.values()) {
            calls.put(endpoint, new AtomicLong());
        }
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.maxLimit = options.maxLimit();
        this.maxMicroversion = Microversion.parse(options.maxMicroversion());
        this.tokenLifetime = options.tokenLifetime();
        this.memberProjectId = cloud.projects().isEmpty()
                ? SimCredentials.ADMIN_PROJECT_ID : cloud.projects().get(0).id();
        this.http = listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(options.threads(), runnable -> {
            Thread thread = new Thread(runnable, "sim-openstack-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.baseUrl = (options.tls() == null ? "http" : "https") + "://127.0.0.1:" + http.getAddress().getPort();
        this.keystone = new KeystoneApi(this);
        this.nova = new NovaApi(this);
        http.setExecutor(executor);
        http.createContext("/", this::handle).getFilters().add(latency);
        http.start();
        LOG.debug("Simulated OpenStack listening at {}", baseUrl);
    }

    private static HttpServer listen(InetSocketAddress address, SimOptions options) throws IOException {
        if (options.tls() == null) {
            return HttpServer.create(address, 64);
        }
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(options.tls()));
        return https;
    }

    /** Starts a simulator with {@link SimOptions#defaults()}. */
    public static SimServer start(SimCloud cloud, Clock clock) {
        return start(cloud, clock, SimOptions.defaults());
    }

    /** Starts a simulator on 127.0.0.1 and an ephemeral port. */
    public static SimServer start(SimCloud cloud, Clock clock, SimOptions options) {
        try {
            return new SimServer(cloud, clock, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulated OpenStack on 127.0.0.1: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Keystone v3, e.g. {@code http://127.0.0.1:PORT/identity/v3} (what {@code OS_AUTH_URL} holds), or
     * {@code https://...} with TLS.
     */
    public String authUrl() {
        return baseUrl + "/identity/v3";
    }

    /**
     * The public compute endpoint of the first region, {@code http://127.0.0.1:PORT/compute/v2.1}
     * (without the project id, whatever the catalog option).
     */
    public String computeUrl() {
        return computeUrl(options.regions().get(0), "public");
    }

    /**
     * The compute endpoint of a region and interface as listed in the catalog (without the project id):
     * the first region's public endpoint is {@code .../compute/v2.1}, every other one is
     * {@code .../compute/{region}/{interface}/v2.1}, so the request log shows which one a client used.
     */
    public String computeUrl(String region, String endpointInterface) {
        if (!options.regions().contains(region)) {
            throw new IllegalArgumentException("no region " + region + " in " + options.regions());
        }
        if (!INTERFACES.contains(endpointInterface)) {
            throw new IllegalArgumentException("interface must be one of " + INTERFACES);
        }
        return baseUrl + computePath(region, endpointInterface);
    }

    static String computePrefix(String region, String endpointInterface, String firstRegion) {
        return region.equals(firstRegion) && endpointInterface.equals("public")
                ? "/compute" : "/compute/" + region + "/" + endpointInterface;
    }

    String computePath(String region, String endpointInterface) {
        return computePrefix(region, endpointInterface, options.regions().get(0)) + "/v2.1";
    }

    /** The project of the member user and of the application credential: the cloud's first project. */
    public String memberProjectId() {
        return memberProjectId;
    }

    public SimCloud cloud() {
        return cloud;
    }

    /** Serves another cloud from now on (e.g. after a resize or an archive of deleted rows). */
    public void replaceCloud(SimCloud replacement) {
        this.cloud = Objects.requireNonNull(replacement, "replacement");
    }

    public SimOptions options() {
        return options;
    }

    /** Nova's {@code [api] max_limit}: page size cap, and the silent cut below 2.40. */
    public void setMaxLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("max_limit must be >= 0, got " + limit);
        }
        this.maxLimit = limit;
    }

    /** The highest compute microversion, e.g. "2.1" for an old cloud without paging. */
    public void setMaxMicroversion(String version) {
        Microversion parsed = Microversion.parse(version);
        if (parsed.compareTo(Microversion.parse(options.minMicroversion())) < 0) {
            throw new IllegalArgumentException("max microversion " + version + " is below the minimum "
                    + options.minMicroversion());
        }
        this.maxMicroversion = parsed;
    }

    /**
     * A cloud whose policy refuses instance actions ({@code os_compute_api:os-instance-actions:list}) and the
     * all-projects server list: those calls answer 403 from now on.
     */
    public void setInstanceActionsForbidden(boolean forbidden) {
        this.instanceActionsForbidden = forbidden;
    }

    boolean instanceActionsForbidden() {
        return instanceActionsForbidden;
    }

    /** Lifetime of tokens issued from now on. */
    public void setTokenLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive, got " + lifetime);
        }
        this.tokenLifetime = lifetime;
    }

    /** Every token issued so far becomes invalid: the next Nova call with one gets 401. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    public SimFaults faults() {
        return faults;
    }

    /** Answers every request from now on as slowly as {@code model} says (null: as fast as it can, the default). */
    public void setLatency(Latency model) {
        latency.set(model);
    }

    /** The time {@link #setLatency} charged to the calls answered so far, summed over calls. */
    public Duration latencyCharged() {
        return latency.charged();
    }

    /**
     * The most calls answered at the same time while a latency was set, each from its request to the last byte of
     * its answer (0 without a latency).
     */
    public int mostCallsAtOnce() {
        return latency.mostCallsAtOnce();
    }

    /** The requests received so far (the latest 10,000), oldest first. */
    public List<SimRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The usage calls received so far, oldest first. */
    public List<SimRequest> usageRequests() {
        return requests().stream().filter(SimRequest::isUsageCall).toList();
    }

    /** How many calls of an endpoint the simulator answered since it started (or {@link #resetCalls()}). */
    public long calls(Endpoint endpoint) {
        return calls.get(endpoint).get();
    }

    /** Every endpoint's count of calls answered. */
    public Map<Endpoint, Long> calls() {
        Map<Endpoint, Long> counts = new EnumMap<>(Endpoint.class);
        calls.forEach((endpoint, count) -> counts.put(endpoint, count.get()));
        return counts;
    }

    /** Sets every endpoint's count back to zero. */
    public void resetCalls() {
        calls.values().forEach(count -> count.set(0));
    }

    static Endpoint endpointOf(String path) {
        if (path.equals("/identity") || path.startsWith("/identity/")) {
            return Endpoint.IDENTITY;
        }
        if (!path.equals("/compute") && !path.startsWith("/compute/")) {
            return Endpoint.OTHER;
        }
        if (path.contains("/os-simple-tenant-usage")) {
            return Endpoint.USAGE;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.endsWith("/os-instance-actions")) {
            return Endpoint.ACTIONS;
        }
        if (trimmed.matches(".*/servers/[^/]+/os-instance-actions/[^/]+")) {
            return Endpoint.ACTION;
        }
        if (trimmed.endsWith("/servers")) {
            return Endpoint.SERVERS;
        }
        return trimmed.matches(".*/compute(/[^/]+/[^/]+)?(/v2\\.1)?") ? Endpoint.VERSIONS : Endpoint.OTHER;
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Clock clock() {
        return clock;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** "http://" or "https://". */
    String scheme() {
        return baseUrl.substring(0, baseUrl.indexOf("://") + 3);
    }

    int maxLimit() {
        return maxLimit;
    }

    Microversion maxMicroversion() {
        return maxMicroversion;
    }

    Microversion minMicroversion() {
        return Microversion.parse(options.minMicroversion());
    }

    Duration tokenLifetime() {
        return tokenLifetime;
    }

    Tokens tokens() {
        return tokens;
    }

    private void handle(HttpExchange exchange) {
        Reply reply = new Reply(exchange, status -> record(exchange, status));
        try {
            String path = exchange.getRequestURI().getRawPath();
            calls.get(endpointOf(path)).incrementAndGet();
            if (path.equals("/identity") || path.startsWith("/identity/")) {
                keystone.handle(exchange, reply);
            } else if (path.equals("/compute") || path.startsWith("/compute/")) {
                nova.handle(exchange, reply);
            } else {
                NovaApi.error(reply, 404, "The resource could not be found.", null);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Simulated OpenStack: request {} {} failed", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), e);
        } finally {
            reply.record(0);
            exchange.close();
        }
    }

    private void record(HttpExchange exchange, int status) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            boolean secret = key.equals("x-auth-token") || key.equals("x-subject-token");
            headers.put(key, secret ? values.stream().map(v -> "***").toList() : new ArrayList<>(values));
        });
        String query = exchange.getRequestURI().getRawQuery();
        String pathAndQuery = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
        SimRequest request = new SimRequest(exchange.getRequestMethod(), pathAndQuery, headers, status);
        synchronized (requests) {
            if (requests.size() == LOG_CAPACITY) {
                requests.removeFirst();
            }
            requests.addLast(request);
        }
    }
}

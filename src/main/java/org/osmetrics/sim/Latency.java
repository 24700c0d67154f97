package org.osmetrics.sim;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the simulated cloud takes to answer, as a real one does (issue #20's figures for a Nova 26): a fixed
 * cost per call plus a cost per server in the answer (not per window of the range asked for), and a flat
 * cost per instance-action call. Off unless set ({@link SimServer#setLatency}); the benchmark turns it on.
 *
 * <p>Works as a filter in front of every request: it counts the servers of the answer as the body goes out
 * (one {@code "instance_id": } per server of a usage answer, one {@code "id": } per server of a server
 * list) and holds the end of the body until the call's cost has passed since the request came in, so the
 * simulator's own rendering counts as part of it. Calls run side by side as on a cloud with many API workers
 * (up to the simulator's threads). The simulator adds up the cost it charged ({@link SimServer#latencyCharged}).
 *
 * @param perCall            every call other than an instance-action call (Keystone, version documents, usage,
 *                           server lists)
 * @param perPagedServer     each server of a usage answer with paging (a {@code limit}, microversion 2.40+)
 * @param perUnpagedServer   each server of a usage answer without paging (2.1: one answer of every server)
 * @param perChangedServer   each server of a server list ({@code GET /servers?changes-since=})
 * @param perInstanceActions each call under {@code /os-instance-actions} (a server's list, or one action)
 */
public record Latency(Duration perCall, Duration perPagedServer, Duration perUnpagedServer, Duration perChangedServer,
        Duration perInstanceActions) {

    private static final byte[] USAGE_SERVER = "\"instance_id\": ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LISTED_SERVER = "\"id\": ".getBytes(StandardCharsets.US_ASCII);
    private static final int NONE = -1;

    public Latency {
        Objects.requireNonNull(perCall, "perCall");
        Objects.requireNonNull(perPagedServer, "perPagedServer");
        Objects.requireNonNull(perUnpagedServer, "perUnpagedServer");
        Objects.requireNonNull(perChangedServer, "perChangedServer");
        Objects.requireNonNull(perInstanceActions, "perInstanceActions");
    }

    /**
     * The figures measured on a Nova 26 (issue #20): 0.5 s for a 1,000-server usage page of a month at 2.40,
     * 1.0 s for an unpaged 2.1 answer of 1,000 servers, 0.45 s for a 1,000-server page of changed servers, 15 ms
     * per instance-action call; 50 ms of each is the call's fixed cost.
     */
    public static Latency nova26() {
        return new Latency(Duration.ofMillis(50), Duration.ofNanos(450_000), Duration.ofNanos(950_000),
                Duration.ofNanos(400_000), Duration.ofMillis(15));
    }

    /** What a call costs: {@code servers} counted in its answer. */
    public Duration cost(String path, String query, int servers) {
        if (path.contains("/os-instance-actions")) {
            return perInstanceActions;
        }
        if (path.contains("/os-simple-tenant-usage")) {
            boolean paged = query != null && (query.startsWith("limit=") || query.contains("&limit="));
            return perCall.plus((paged ? perPagedServer : perUnpagedServer).multipliedBy(servers));
        }
        if (isServerList(path)) {
            return perCall.plus(perChangedServer.multipliedBy(servers));
        }
        return perCall;
    }

    private static boolean isServerList(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.endsWith("/servers") || trimmed.endsWith("/servers/detail");
    }

    /**
     * The latency in force on one simulator (none at first) and the cost it charged: the filter in front of its
     * requests. Thread-safe.
     */
    static final class Applied extends Filter {
        private volatile Latency latency;
        private final AtomicLong charged = new AtomicLong();
        private final AtomicInteger callsNow = new AtomicInteger();
        private final AtomicInteger mostCallsAtOnce = new AtomicInteger();

        void set(Latency latency) {
            this.latency = latency;
        }

        Duration charged() {
            return Duration.ofNanos(charged.get());
        }

        /** The most calls held at the same time: from their request until the last byte of their answer. */
        int mostCallsAtOnce() {
            return mostCallsAtOnce.get();
        }


        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            Latency current = latency;
            if (current == null) {
                chain.doFilter(exchange);
                return;
            }
            mostCallsAtOnce.accumulateAndGet(callsNow.incrementAndGet(), Math::max);
            AtomicBoolean over = new AtomicBoolean();
            Runnable answered = () -> {
                if (over.compareAndSet(false, true)) {
                    callsNow.decrementAndGet();
                }
            };
            String path = exchange.getRequestURI().getRawPath();
            byte[] marker = path.contains("/os-simple-tenant-usage") ? USAGE_SERVER
                    : isServerList(path) ? LISTED_SERVER : null;
            exchange.setStreams(null, new Held(exchange.getResponseBody(), current, path,
                    exchange.getRequestURI().getRawQuery(), marker, System.nanoTime(), charged, answered));
            try {
                chain.doFilter(exchange);
            } finally {
                answered.run();
            }
        }

        @Override
        public String description() {
            return "simulated latency";
        }
    }

    /**
     * The response body, counting the servers it holds; its last byte is held back until the call's cost has passed
     * since the request came in (the client cannot finish reading before, chunked or not).
     */
    private static final class Held extends FilterOutputStream {
        private final Latency latency;
        private final String path;
        private final String query;
        private final byte[] marker;
        private final long startedNanos;
        private final AtomicLong charged;
        /** Called once the call's cost has passed, before the last byte goes out (the client may ask again then). */
        private final Runnable answered;
        private int matched;
        private int servers;
        private int last = NONE;
        private boolean closed;

        Held(OutputStream out, Latency latency, String path, String query, byte[] marker, long startedNanos,
                AtomicLong charged, Runnable answered) {
            super(out);
            this.latency = latency;
            this.path = path;
            this.query = query;
            this.marker = marker;
            this.startedNanos = startedNanos;
            this.charged = charged;
            this.answered = answered;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length <= 0) {
                return;
            }
            for (int i = offset; i < offset + length; i++) {
                count(bytes[i]);
            }
            if (last != NONE) {
                out.write(last);
            }
            out.write(bytes, offset, length - 1);
            last = bytes[offset + length - 1] & 0xFF;
        }

        private void count(byte b) {
            if (marker == null) {
                return;
            }
            if (b == marker[matched]) {
                if (++matched == marker.length) {
                    servers++;
                    matched = 0;
                }
            } else {
                matched = b == marker[0] ? 1 : 0;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            long cost = latency.cost(path, query, servers).toNanos();
            charged.addAndGet(cost);
            long wait = startedNanos + cost - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answered.run();
            if (last != NONE) {
                out.write(last);
            }
            out.close();
        }
    }
}

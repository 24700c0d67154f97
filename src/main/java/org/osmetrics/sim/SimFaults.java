package org.osmetrics.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Faults to inject into the next requests, in the order they were queued. Nova faults hit only the
 * usage calls ({@code os-simple-tenant-usage}), not the version document; Keystone faults hit only
 * {@code POST /v3/auth/tokens}. Each request consumes at most one fault. Thread-safe. (A server that
 * accepts connections and never answers, or a port that refuses them, needs no simulator: a plain socket.)
 */
public final class SimFaults {

    enum Target { NOVA, KEYSTONE }

    enum Kind { FAIL, DELAY, TRUNCATE, STALL, MALFORM, REPEAT_MARKER, RESET, REWRITE, FOREIGN }

    /** {@code body}: the JSON of a {@link Kind#FOREIGN} answer, else null. */
    record Fault(Target target, Kind kind, int status, Duration duration, UnaryOperator<byte[]> rewrite, String body) {
        Fault(Target target, Kind kind, int status, Duration duration) {
            this(target, kind, status, duration, null, null);
        }

        Fault(Target target, Kind kind, UnaryOperator<byte[]> rewrite) {
            this(target, kind, 0, null, rewrite, null);
        }
    }

    private final Deque<Fault> queue = new ArrayDeque<>();

    SimFaults() {
    }

    /**
     * The next {@code times} usage calls answer {@code status} with Nova's error body
     * ({@code computeFault} for 5xx). 429 and 503 carry {@code Retry-After: 1}.
     */
    public SimFaults failNext(int status, int times) {
        return failNext(status, times, status == 429 || status == 503 ? Duration.ofSeconds(1) : null);
    }

    /** As {@link #failNext(int, int)}, with a {@code Retry-After} of the given whole seconds (null: none). */
    public SimFaults failNext(int status, int times, Duration retryAfter) {
        requireErrorStatus(status);
        for (int i = 0; i < times; i++) {
            add(new Fault(Target.NOVA, Kind.FAIL, status, retryAfter));
        }
        return this;
    }

    /** The next usage call is answered normally, after {@code delay}. */
    public SimFaults delayNext(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return add(new Fault(Target.NOVA, Kind.DELAY, 0, delay));
    }

    /**
     * The next usage call declares the full {@code Content-Length} but sends only the first half of the
     * body, then closes the connection: the client sees a short body (premature end of stream).
     */
    public SimFaults truncateNextBody() {
        return add(new Fault(Target.NOVA, Kind.TRUNCATE, 0, null));
    }

    /**
     * The next usage call declares the full {@code Content-Length}, sends the first half of the body, then
     * nothing for {@code stall}, then closes the connection: a body that stops coming.
     */
    public SimFaults stallNextBody(Duration stall) {
        Objects.requireNonNull(stall, "stall");
        return add(new Fault(Target.NOVA, Kind.STALL, 0, stall));
    }

    /**
     * The next usage call answers 200 with a complete HTTP response whose JSON body is cut in the middle
     * ({@code Content-Length} matches what is sent): the client sees malformed JSON.
     */
    public SimFaults malformNextBody() {
        return add(new Fault(Target.NOVA, Kind.MALFORM, 0, null));
    }

    /**
     * The next usage call that carries a {@code marker} answers, if its page is full, with a next link
     * whose marker is that same request marker: a client that follows links blindly pages forever.
     */
    public SimFaults repeatMarkerNext() {
        return add(new Fault(Target.NOVA, Kind.REPEAT_MARKER, 0, null));
    }

    /**
     * The next usage call that succeeds is answered with its JSON body passed through {@code rewrite} (the
     * bytes as Nova would send them; {@code Content-Length} matches the result): for answers with values out
     * of range, odd bytes or unknown fields.
     */
    public SimFaults rewriteNextBody(UnaryOperator<byte[]> rewrite) {
        Objects.requireNonNull(rewrite, "rewrite");
        return add(new Fault(Target.NOVA, Kind.REWRITE, rewrite));
    }

    /**
     * The next usage call gets no response: the connection is closed after the request is read. Note
     * that the JDK's HttpClient silently retries a GET once in that case: queue two to make it fail.
     */
    public SimFaults resetConnectionNext() {
        return add(new Fault(Target.NOVA, Kind.RESET, 0, null));
    }

    /** The next {@code times} token requests answer {@code status} with Keystone's error body. */
    public SimFaults failKeystone(int status, int times) {
        requireErrorStatus(status);
        for (int i = 0; i < times; i++) {
            add(new Fault(Target.KEYSTONE, Kind.FAIL, status,
                    status == 429 || status == 503 ? Duration.ofSeconds(1) : null));
        }
        return this;
    }

    /**
     * The next {@code times} token requests are answered normally, each only after {@code delay}: a Keystone
     * that stalls (a client with a shorter read timeout sees no answer).
     */
    public SimFaults delayKeystone(Duration delay, int times) {
        Objects.requireNonNull(delay, "delay");
        for (int i = 0; i < times; i++) {
            add(new Fault(Target.KEYSTONE, Kind.DELAY, 0, delay));
        }
        return this;
    }

    /**
     * The next token request is answered {@code status} with {@code json} as its body and no
     * {@code X-Subject-Token}: another service (Nova, a version document, a proxy) answering at the auth URL.
     */
    public SimFaults answerKeystoneAsAnotherService(int status, String json) {
        Objects.requireNonNull(json, "json");
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599, got " + status);
        }
        return add(new Fault(Target.KEYSTONE, Kind.FOREIGN, status, null, null, json));
    }

    private static void requireErrorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error (400-599), got " + status);
        }
    }

    /** Drops every queued fault. */
    public synchronized void clear() {
        queue.clear();
    }

    /** How many faults are still queued. */
    public synchronized int pending() {
        return queue.size();
    }

    private synchronized SimFaults add(Fault fault) {
        queue.addLast(fault);
        return this;
    }

    /** Removes and returns the first fault for this request, or null. */
    synchronized Fault poll(Target target, boolean requestHasMarker) {
        for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.target() == target && (fault.kind() != Kind.REPEAT_MARKER || requestHasMarker)) {
                it.remove();
                return fault;
            }
        }
        return null;
    }
}

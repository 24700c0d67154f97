package org.osmetrics.extract;

import org.osmetrics.Phrases;
import java.time.Duration;
import java.util.Random;
import org.osmetrics.OsMetricsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an OpenStack request on transient failures (connection errors, timeouts, bodies cut short, 429,
 * 502, 503, 504) with exponential backoff and jitter, honouring {@code Retry-After}, for at most a total
 * time; then fails with exit code 4 naming the request and the last failure. Thread-safe.
 */
final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    /** One attempt of a request. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws TransientFailure;
    }

    /**
     * A failure worth retrying; {@code retryAfter} is the server's wish, or null. {@code unreached} is set
     * when no connection could be made to a host that has not answered once in this run (see
     * {@link #FIRST_CONTACT}): its origin.
     */
    static final class TransientFailure extends Exception {
        private final transient Duration retryAfter;
        private final String unreached;

        TransientFailure(String reason, Duration retryAfter, Throwable cause) {
            this(reason, retryAfter, cause, null);
        }

        private TransientFailure(String reason, Duration retryAfter, Throwable cause, String unreached) {
            super(reason, cause);
            this.retryAfter = retryAfter;
            this.unreached = unreached;
        }

        /** No connection to {@code origin} (scheme://host:port), which has never answered in this run. */
        static TransientFailure unreached(String reason, String origin, Throwable cause) {
            return new TransientFailure(reason, null, cause, origin);
        }

        Duration retryAfter() {
            return retryAfter;
        }

        /** The origin that never answered and could not be connected to, or null. */
        String unreached() {
            return unreached;
        }
    }

    /**
     * How long a host that has never answered in this run is given when it cannot be connected to: a
     * mistyped URL or a service that is not running fails within seconds, not after {@code --retry-for}
     * (which a host that did answer, then went away, keeps in full).
     */
    static final Duration FIRST_CONTACT = Duration.ofSeconds(5);

    private final Duration retryFor;
    private final Random random;

    RetryPolicy(Duration retryFor, Random random) {
        this.retryFor = retryFor;
        this.random = random;
    }

    /**
     * Runs {@code attempt} until it succeeds or the time bound would be passed: {@code --retry-for}, or
     * the shorter {@link #FIRST_CONTACT} while the failure is a host that has never answered.
     *
     * @param what the request, for messages (a URL without secrets)
     */
    <T> T run(String what, Attempt<T> attempt) {
        long started = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        for (int attempts = 1; ; attempts++) {
            TransientFailure failure;
            try {
                return attempt.run();
            } catch (TransientFailure e) {
                failure = e;
            }
            Duration wait = failure.retryAfter() != null ? failure.retryAfter() : jittered(backoff);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String unreached = failure.unreached();
            Duration bound = unreached != null && FIRST_CONTACT.compareTo(retryFor) < 0 ? FIRST_CONTACT : retryFor;
            if (elapsed.plus(wait).compareTo(bound) > 0) {
                if (unreached != null) {
                    String given = bound.equals(retryFor) ? "retries are bounded by --retry-for " + retryFor.toSeconds()
                            + " s" : "given up after " + bound.toSeconds() + " s, not --retry-for";
                    throw OsMetricsException.source(what + ": cannot connect to " + unreached + " ("
                            + failure.getMessage() + "), " + Phrases.count(attempts, "attempt") + " in " + elapsed.toMillis() / 1000.0
                            + " s; nothing has answered there in this run (" + given + "): check the URL and that the "
                            + "service is running", failure);
                }
                throw OsMetricsException.source(what + " failed after " + Phrases.count(attempts, "attempt") + " in "
                        + elapsed.toMillis() / 1000.0 + " s: " + failure.getMessage()
                        + " (retries are bounded by --retry-for " + retryFor.toSeconds() + " s)", failure);
            }
            LOG.warn("{}: {}; retrying in {} ms (attempt {})", what, failure.getMessage(), wait.toMillis(), attempts + 1);
            sleep(wait);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Half the backoff plus a random part of the other half, so that clients do not retry in step. */
    private Duration jittered(Duration backoff) {
        long half = backoff.toMillis() / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * half));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OsMetricsException.source("interrupted while waiting to retry", e);
        }
    }
}

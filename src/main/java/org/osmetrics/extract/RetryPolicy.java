package org.osmetrics.extract;

import org.osmetrics.Phrases;
import java.time.Duration;
import java.util.Random;
import org.osmetrics.OsMetricsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an OpenStack request on transient failures (connection errors, timeouts, 429, 502, 503, 504) with
 * exponential backoff and jitter, honouring {@code Retry-After}, for at most a total time; then fails with
 * exit code 4 naming the request and the last failure. Thread-safe.
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

    /** A failure worth retrying; {@code retryAfter} is the server's wish, or null. */
    static final class TransientFailure extends Exception {
        private final transient Duration retryAfter;

        TransientFailure(String reason, Duration retryAfter, Throwable cause) {
            super(reason, cause);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final Duration retryFor;
    private final Random random;

    RetryPolicy(Duration retryFor, Random random) {
        this.retryFor = retryFor;
        this.random = random;
    }

    /**
     * Runs {@code attempt} until it succeeds or the time bound would be passed.
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
            if (elapsed.plus(wait).compareTo(retryFor) > 0) {
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

package org.osmetrics.extract;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.osmetrics.OsMetricsException;
import org.osmetrics.ExitCode;
import org.osmetrics.config.OpenStackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client of the extract stage (Keystone and Nova, logins included): connect and read timeouts,
 * TLS from {@code OS_CACERT} (or off with {@code --insecure}), and transient failures turned into retries.
 * Every call is bounded: one attempt by the read timeout (headers and body), all attempts by the
 * {@link RetryPolicy}. A body cut short is retried, never returned in part. Never logs headers or bodies:
 * tokens travel in headers, passwords in bodies. Thread-safe.
 */
final class HttpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);
    private static final String USER_AGENT = "os-metrics";

    /** A complete HTTP response; {@code url} is the request URL (no secrets: those go in headers). */
    record Response(String url, int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient client;
    private final Duration readTimeout;
    private final RetryPolicy retryPolicy;
    private final Set<String> answered;

    /**
     * @param answered the origins (scheme://host:port) that have sent an HTTP answer in this run, shared by
     *                 the transports of one run and added to by each: a host in it keeps the full retry
     *                 budget when it cannot be connected to, one not in it gets {@link RetryPolicy#FIRST_CONTACT}
     */
    HttpTransport(OpenStackSettings settings, RetryPolicy retryPolicy, Set<String> answered) {
        SSLContext sslContext = sslContext(settings);
        this.readTimeout = settings.tuning().readTimeout();
        this.retryPolicy = retryPolicy;
        this.answered = answered;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.tuning().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
    }

    /**
     * Sends a request, retrying transient failures within the time bound, and returns the first response
     * that is not transient (any status: the caller decides what 401, 403, 404 mean).
     */
    Response send(String method, URI uri, Map<String, String> headers, String body) {
        return send(null, method, uri, headers, body);
    }

    /** As {@link #send(String, URI, Map, String)}, named in messages as {@code purpose (METHOD URL)}. */
    Response send(String purpose, String method, URI uri, Map<String, String> headers, String body) {
        String what = purpose == null ? method + " " + uri : purpose + " (" + method + " " + uri + ")";
        return retryPolicy.run(what, () -> attempt(method, uri, headers, body));
    }

    /** scheme://host:port of a URL. */
    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private Response attempt(String method, URI uri, Map<String, String> headers, String body)
            throws RetryPolicy.TransientFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(readTimeout)
                .header("User-Agent", USER_AGENT).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request.build(), info -> {
            head.set(info);
            answered.add(origin(uri));
            return HttpResponse.BodySubscribers.ofByteArray();
        });
        try {
            // The request timeout of java.net.http stops at the response headers; this bound covers the body too.
            response = pending.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            if (head.get() != null) {
                // Headers came, the body did not: retried like a read timeout, never read as a short list.
                throw new RetryPolicy.TransientFailure("the response body stalled (HTTP " + head.get().statusCode()
                        + ", not complete within the read timeout of " + readTimeout.toSeconds() + " s)", null, e);
            }
            throw new RetryPolicy.TransientFailure("no answer within the read timeout of " + readTimeout.toSeconds()
                    + " s", null, e);
        } catch (ExecutionException e) {
            throw failure(method, uri, e.getCause() == null ? e : e.getCause(), head.get());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw OsMetricsException.source("interrupted during " + method + " " + uri, e);
        }
        LOG.debug("{} {} -> {} in {} ms", method, uri, response.statusCode(), (System.nanoTime() - started) / 1_000_000);
        if (TRANSIENT_STATUSES.contains(response.statusCode())) {
            throw new RetryPolicy.TransientFailure("HTTP " + response.statusCode(),
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)), null);
        }
        return new Response(uri.toString(), response.statusCode(), response.headers(),
                utf8(response.body(), method, uri, response.statusCode()));
    }

    /**
     * The body as text. JSON is UTF-8 (RFC 8259) and Nova escapes everything else, so bytes that are not
     * UTF-8 mean a corrupted answer: an error, never characters silently replaced in a stored name.
     */
    private static String utf8(byte[] body, String method, URI uri, int status) {
        ByteBuffer bytes = ByteBuffer.wrap(body);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw OsMetricsException.source("the response body of " + method + " " + uri + " (HTTP " + status + ", "
                    + body.length + " bytes) is not valid UTF-8 at byte " + bytes.position()
                    + ": a proxy or the API corrupted it; nothing of it is loaded", e);
        }
    }

    /**
     * Classifies a failed exchange: transient (retried; a connection that cannot be made to a host that never
     * answered in this run is retried only briefly), or a TLS handshake refused (exit 3).
     */
    private RetryPolicy.TransientFailure failure(String method, URI uri, Throwable cause, HttpResponse.ResponseInfo head) {
        try {
            throw cause;
        } catch (HttpConnectTimeoutException e) {
            return unreachable("connect timed out", uri, e);
        } catch (HttpTimeoutException e) {
            return new RetryPolicy.TransientFailure("no answer within the read timeout of " + readTimeout.toSeconds()
                    + " s", null, e);
        } catch (ConnectException e) {
            return unreachable(connectReason(e), uri, e);
        } catch (IOException e) {
            if (head != null) {
                // The status line and headers came, then the connection broke (closed before Content-Length
                // bytes, a chunked stream ended early, a reset, a TLS record cut): retried, never read in part.
                return new RetryPolicy.TransientFailure("the response body was cut short (HTTP " + head.statusCode()
                        + ", Content-Length " + head.headers().firstValue("Content-Length").orElse("not given") + "): "
                        + describe(e), null, e);
            }
            if (e instanceof SSLException tls) {
                throw tlsFailure(uri, tls);
            }
            return new RetryPolicy.TransientFailure("connection failed (" + describe(e) + ")", null, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected failure of " + method + " " + uri, e);
        }
    }

    /** A connection that could not be made: briefly retried if nothing has answered at its origin in this run. */
    private RetryPolicy.TransientFailure unreachable(String reason, URI uri, IOException e) {
        String origin = origin(uri);
        if (answered.contains(origin)) {
            return new RetryPolicy.TransientFailure("cannot connect (" + reason + ")", null, e);
        }
        return RetryPolicy.TransientFailure.unreached(reason, origin, e);
    }

    /**
     * A TLS handshake that failed: a configuration problem (exit 3), never retried. Names the endpoint, the
     * JVM's reason (its innermost message, e.g. "unable to find valid certification path to requested
     * target") and both fixes.
     */
    private static OsMetricsException tlsFailure(URI uri, SSLException cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new OsMetricsException(ExitCode.CONFIG, "cannot verify the TLS certificate of " + uri.getScheme() + "://"
                + uri.getRawAuthority() + " (" + uri + "): " + reason + "; set OS_CACERT or --os-cacert to a PEM file of "
                + "the CA that signed it, or pass --insecure to skip verification (unsafe)", cause);
    }

    /** java.net.http's ConnectException carries no message (Java 17): the reason is in its cause's type. */
    private static String connectReason(ConnectException e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return e.getCause() instanceof UnresolvedAddressException ? "host name not found"
                : "connection refused or host unreachable";
    }

    /** The first message in the cause chain (java.net.http often wraps the socket's reason), or the class name. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static SSLContext sslContext(OpenStackSettings settings) {
        try {
            if (settings.insecure()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                return context;
            }
            if (settings.cacert() == null) {
                return null;
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            try (InputStream in = Files.newInputStream(settings.cacert())) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + index++, certificate);
                }
            }
            if (index == 0) {
                throw OsMetricsException.config("OS_CACERT " + settings.cacert() + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new OsMetricsException(ExitCode.CONFIG, "cannot use OS_CACERT " + settings.cacert() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Accepts every certificate and host name: only with the explicit --insecure. An extended trust manager,
     * because the JVM wraps a plain one with its own host name check.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // --insecure: no verification, by request
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // --insecure: no verification, by request
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // --insecure: no verification, by request
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // --insecure: no verification, by request
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // --insecure: no verification, by request
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // --insecure: no verification, by request
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

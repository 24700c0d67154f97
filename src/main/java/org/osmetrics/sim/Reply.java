package org.osmetrics.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * Writes one response of the simulator. Bodies are streamed: a small body goes out with a
 * {@code Content-Length}, a large one (a big page) switches to chunked transfer as soon as it outgrows
 * the buffer, so memory stays bounded by one buffer, not by the page. Not thread-safe: one per exchange.
 */
final class Reply {
    private static final int BUFFER_LIMIT = 64 * 1024;

    private final HttpExchange exchange;
    private final IntConsumer recorder;
    private boolean recorded;
    private UnaryOperator<byte[]> rewrite;
    private Duration stall;

    /** {@code recorder} learns the status just before anything is sent (so a log is complete first). */
    Reply(HttpExchange exchange, IntConsumer recorder) {
        this.exchange = exchange;
        this.recorder = recorder;
    }

    /** Records the outcome once: the status, or 0 for a dropped connection. */
    void record(int outcome) {
        if (!recorded) {
            recorded = true;
            recorder.accept(outcome);
        }
    }

    void header(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    /** Sends a JSON body produced by {@code body} (Python's json.dumps bytes). */
    void json(int status, Consumer<PyJson> body) throws IOException {
        json(status, body, null);
    }

    /**
     * Sends a JSON body; with a {@link SimFaults.Kind#TRUNCATE}, {@link SimFaults.Kind#STALL} or
     * {@link SimFaults.Kind#MALFORM} fault the body is rendered whole first and then cut (see {@link SimFaults}).
     */
    void json(int status, Consumer<PyJson> body, SimFaults.Kind fault) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (fault == SimFaults.Kind.TRUNCATE || fault == SimFaults.Kind.STALL || fault == SimFaults.Kind.MALFORM) {
            sendCut(status, body, fault);
            return;
        }
        if (rewrite != null && status == 200) {
            raw(status, "application/json", rewrite.apply(render(body)));
            return;
        }
        record(status);
        try (OutputStream stream = new StreamingBody(exchange, status)) {
            PyJson json = new PyJson(stream);
            body.accept(json);
            json.flush();
        }
    }

    /** Sends {@code body} as it is, with its {@code Content-Length}. */
    void raw(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        record(status);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Closes the connection without any response. */
    void drop() {
        record(0);
        exchange.close();
    }

    /** How long a {@link SimFaults.Kind#STALL} body stops after its first half. */
    void stallBody(Duration duration) {
        this.stall = duration;
    }

    /** Passes the next 200 body through {@code rewrite} (see {@link SimFaults#rewriteNextBody}). */
    void rewriteBody(UnaryOperator<byte[]> rewrite) {
        this.rewrite = rewrite;
    }

    private static byte[] render(Consumer<PyJson> body) throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        PyJson json = new PyJson(whole);
        body.accept(json);
        json.flush();
        return whole.toByteArray();
    }

    private void sendCut(int status, Consumer<PyJson> body, SimFaults.Kind fault) throws IOException {
        byte[] bytes = render(body);
        int half = bytes.length / 2;
        record(status);
        if (fault == SimFaults.Kind.MALFORM) {
            exchange.sendResponseHeaders(status, half);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes, 0, half);
            }
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, half);
        out.flush();
        if (fault == SimFaults.Kind.STALL) {
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Closing the exchange short of the declared length makes the server drop the connection.
        exchange.close();
    }

    /** Buffers up to {@link #BUFFER_LIMIT} bytes, then streams the rest chunked. */
    private static final class StreamingBody extends OutputStream {
        private final HttpExchange exchange;
        private final int status;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private OutputStream direct;

        StreamingBody(HttpExchange exchange, int status) {
            this.exchange = exchange;
            this.status = status;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (direct != null) {
                direct.write(bytes, offset, length);
                return;
            }
            buffer.write(bytes, offset, length);
            if (buffer.size() > BUFFER_LIMIT) {
                exchange.sendResponseHeaders(status, 0);
                direct = exchange.getResponseBody();
                buffer.writeTo(direct);
                buffer = null;
            }
        }

        @Override
        public void flush() throws IOException {
            if (direct != null) {
                direct.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (direct == null) {
                exchange.sendResponseHeaders(status, buffer.size() == 0 ? -1 : buffer.size());
                direct = exchange.getResponseBody();
                buffer.writeTo(direct);
                buffer = null;
            }
            direct.close();
        }
    }
}

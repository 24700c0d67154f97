package org.osmetrics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP server on loopback that accepts every connection and never reads or answers anything: a hung
 * Keystone or Nova (a stopped process behind a live load balancer, a full accept queue of a wedged service).
 * Close it to drop the connections.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    private SilentServer(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::acceptForever, "silent-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SilentServer start() {
        try {
            return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections were accepted so far (one per attempt of a client that retries). */
    public synchronized int connections() {
        return accepted.size();
    }

    /** A loopback port that nothing listens on (just bound and closed): connections to it are refused. */
    public static int refusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                synchronized (this) {
                    accepted.add(socket);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

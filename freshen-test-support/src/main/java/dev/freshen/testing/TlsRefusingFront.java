package dev.freshen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP front on a free port of 127.0.0.1 for a plain-HTTP server of the JDK ({@code com.sun.net.httpserver}): a
 * connection that opens with a TLS handshake record (first byte {@code 0x16}) is closed at once, every other one is
 * piped to the server unchanged. dockerd tries HTTPS before plain HTTP even for insecure registries such as
 * 127.0.0.1; a Go server answers a TLS hello on a plain port at once, the JDK's server never does, so without this
 * front every pull and push through such a server waited out Go's 10 s TLS handshake time-out before falling back.
 */
final class TlsRefusingFront implements AutoCloseable {

    private static final int TLS_HANDSHAKE = 0x16;

    private final ServerSocket front;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TlsRefusingFront(ServerSocket front, int targetPort) {
        this.front = front;
        this.targetPort = targetPort;
    }

    /** A front forwarding to {@code 127.0.0.1:<targetPort>}. */
    static TlsRefusingFront start(int targetPort) {
        try {
            TlsRefusingFront started = new TlsRefusingFront(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    targetPort);
            daemon("tls-refusing-front", started::accept);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a port for the proxy", e);
        }
    }

    int port() {
        return front.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(front);
        sockets.forEach(this::closeQuietly);
    }

    private void accept() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                daemon("tls-refusing-front-up", () -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        sockets.add(client);
        Socket upstream = null;
        try {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0 || first == TLS_HANDSHAKE) {
                closeQuietly(client); // the client falls back to plain HTTP
                return;
            }
            upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            upstream.setTcpNoDelay(true);
            sockets.add(upstream);
            Socket server = upstream;
            daemon("tls-refusing-front-down", () -> pump(server, client));
            OutputStream out = upstream.getOutputStream();
            out.write(first);
            in.transferTo(out);
            upstream.shutdownOutput(); // the client is done sending; the answer may still come
        } catch (IOException e) {
            closeQuietly(client); // a side went away
            closeQuietly(upstream);
        }
    }

    /** Server to client until the server is done, then both sides are closed. */
    private void pump(Socket server, Socket client) {
        try {
            server.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ignored) {
            // a side went away
        } finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (closeable instanceof Socket socket) {
            sockets.remove(socket);
        }
    }
}

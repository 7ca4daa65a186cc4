package dev.freshen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (a registry), for fault injection without touching the code
 * under test: clients use the proxy's address, bytes flow through unchanged, and a test can <em>hold</em> the first
 * request whose bytes contain a pattern (e.g. {@code "PUT /v2/app/manifests/latest"}; HTTP/1.1 is plain text) until it
 * says so. While held, everything else flows. It can also <em>drop</em> a request: close its connection (both sides)
 * before any of its bytes reach the server, as a network failure would. Runs on daemon threads; {@link #close()} ends
 * every connection.
 */
public final class TcpFaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Hold hold;
    private volatile Drop drop;

    private TcpFaultProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code target} ({@code host:port}). */
    public static TcpFaultProxy start(String target) {
        int colon = target.lastIndexOf(':');
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpFaultProxy proxy = new TcpFaultProxy(server, target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)));
            daemon("tcp-proxy-accept", proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy port", e);
        }
    }

    /** {@code 127.0.0.1:<port>}: the address clients use instead of the target's. */
    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Holds the first client request containing {@code pattern} (from now on) until {@link Hold#release()}. */
    public Hold holdFirst(String pattern) {
        Hold next = new Hold(pattern.getBytes(StandardCharsets.US_ASCII));
        hold = next;
        return next;
    }

    /**
     * Drops the {@code nth} (1 for the first) client request containing {@code pattern} from now on: its connection
     * is closed before any of its bytes are forwarded.
     */
    public Drop dropNth(String pattern, int nth) {
        return dropNth(pattern, nth, 0);
    }

    /**
     * Drops the {@code nth} client request containing {@code pattern} after forwarding its first {@code forwardBytes}
     * bytes (headers included): the server sees a request cut off in the middle of its body.
     */
    public Drop dropNth(String pattern, int nth, int forwardBytes) {
        Drop next = new Drop(pattern.getBytes(StandardCharsets.US_ASCII), nth, forwardBytes);
        drop = next;
        return next;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(TcpFaultProxy::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket();
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                } catch (IOException e) {
                    closeQuietly(client); // the target is down: the client sees its connection closed
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                daemon("tcp-proxy-up", () -> pump(client, upstream, true));
                daemon("tcp-proxy-down", () -> pump(upstream, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            long cutAfter = -1;
            while ((n = in.read(buffer)) >= 0) {
                Drop dropping = drop;
                if (clientToServer && cutAfter < 0 && dropping != null && dropping.matches(buffer, n)) {
                    cutAfter = dropping.forwardBytes;
                }
                if (cutAfter >= 0) {
                    int part = (int) Math.min(n, cutAfter);
                    out.write(buffer, 0, part);
                    out.flush();
                    cutAfter -= part;
                    if (cutAfter == 0) {
                        return; // closes both sides in finally: the rest of this request never reaches the server
                    }
                    continue;
                }
                Hold current = hold;
                if (clientToServer && current != null && current.matches(buffer, n)) {
                    current.held.countDown();
                    current.released.await();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One held request: wait until it arrives, then let it go on. */
    public static final class Hold {
        private final byte[] pattern;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(byte[] pattern) {
            this.pattern = pattern;
        }

        /** Waits until a request with the pattern is being held; false on time-out. */
        public boolean awaitHeld(Duration timeout) throws InterruptedException {
            return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the held request (and any later one with the pattern) through. */
        public void release() {
            released.countDown();
        }

        private synchronized boolean matches(byte[] data, int length) {
            if (held.getCount() == 0) {
                return false; // only the first one is held
            }
            return contains(data, length, pattern);
        }
    }

    /** One request to drop. */
    public static final class Drop {
        private final byte[] pattern;
        private final int forwardBytes;
        private int toSkip;
        private final CountDownLatch dropped = new CountDownLatch(1);

        private Drop(byte[] pattern, int nth, int forwardBytes) {
            if (nth < 1 || forwardBytes < 0) {
                throw new IllegalArgumentException("nth must be at least 1 and forwardBytes at least 0, got " + nth
                        + " and " + forwardBytes);
            }
            this.pattern = pattern;
            this.forwardBytes = forwardBytes;
            this.toSkip = nth - 1;
        }

        /** Whether the request was dropped. */
        public boolean dropped() {
            return dropped.getCount() == 0;
        }

        private synchronized boolean matches(byte[] data, int length) {
            if (dropped.getCount() == 0 || !contains(data, length, pattern)) {
                return false;
            }
            if (toSkip > 0) {
                toSkip--;
                return false;
            }
            dropped.countDown();
            return true;
        }
    }

    private static boolean contains(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

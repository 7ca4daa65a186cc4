package dev.freshen.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A TCP proxy on 127.0.0.1 in front of a registry that counts what crosses it, request by request, in both directions:
 * clients use the proxy's address as the registry's name, so nothing in the code under test changes (the services, the
 * Docker daemon and the watcher's classes all think it is the registry).
 *
 * <p>Bytes are TCP payload: HTTP request and status lines, headers and bodies (not TCP/IP overhead). Requests are told
 * apart without parsing bodies: registry clients (Java's HttpClient, the Docker daemon's Go client) do not pipeline, so
 * on one connection a new request starts with the first client bytes after the server has answered, and those bytes
 * begin with the request line. Client bytes after an interim answer such as {@code 100 Continue} do not start with a
 * method and stay with their request.
 */
final class CountingProxy implements AutoCloseable {

    /** One HTTP exchange seen on the wire. {@code agent}: "docker", "java" or the User-Agent's first word. */
    record Exchange(Instant start, Instant end, String method, String path, String agent, long up, long down) {

        long bytes() {
            return up + down;
        }

        /** A blob upload with content: the POST/PATCH/PUT of {@code /blobs/uploads/} that is not a cross-repository mount. */
        boolean isBlobUpload() {
            return path.contains("/blobs/uploads/") && !path.contains("mount=") && !method.equals("DELETE")
                    && !method.equals("GET") && !method.equals("HEAD");
        }

        boolean isManifestPut() {
            return method.equals("PUT") && path.contains("/manifests/");
        }
    }

    /** Sums over a set of exchanges. */
    record Totals(long requests, long up, long down) {
        long bytes() {
            return up + down;
        }
    }

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Live> exchanges = new ArrayList<>();

    private CountingProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code target} ({@code host:port}). */
    static CountingProxy start(String target) {
        int colon = target.lastIndexOf(':');
        try {
            ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            CountingProxy proxy = new CountingProxy(server, target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)));
            daemon("counting-proxy-accept", proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy port", e);
        }
    }

    /** {@code 127.0.0.1:<port>}: the registry name clients use. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Forgets what was counted so far (connections stay open). */
    synchronized void reset() {
        exchanges.clear();
    }

    /** Every exchange counted since the last reset, in the order they started. */
    synchronized List<Exchange> exchanges() {
        return exchanges.stream().map(Live::snapshot).toList();
    }

    /** Totals over the exchanges matching {@code filter}. */
    Totals totals(Predicate<Exchange> filter) {
        long requests = 0;
        long up = 0;
        long down = 0;
        for (Exchange e : exchanges()) {
            if (filter.test(e)) {
                requests++;
                up += e.up();
                down += e.down();
            }
        }
        return new Totals(requests, up, down);
    }

    /** Totals over the exchanges that started within [{@code from}, {@code to}]. */
    Totals totalsBetween(Instant from, Instant to, Predicate<Exchange> filter) {
        return totals(e -> !e.start().isBefore(from) && !e.start().isAfter(to) && filter.test(e));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(CountingProxy::closeQuietly);
    }

    private synchronized Live begin(byte[] chunk, int length) {
        Live live = new Live(chunk, length);
        exchanges.add(live);
        return live;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                Connection connection = new Connection();
                daemon("counting-proxy-up", () -> pump(client, upstream, connection, true));
                daemon("counting-proxy-down", () -> pump(upstream, client, connection, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, Connection connection, boolean clientToServer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (clientToServer) {
                    connection.sent(buffer, n);
                } else {
                    connection.received(n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    /** One client connection: which exchange its bytes belong to. */
    private final class Connection {
        private Live current;
        private boolean answered = true;

        synchronized void sent(byte[] chunk, int length) {
            if (current == null || (answered && startsWithMethod(chunk, length))) {
                current = begin(chunk, length);
            }
            answered = false;
            current.add(length, 0);
        }

        synchronized void received(int length) {
            if (current != null) {
                current.add(0, length);
            }
            answered = true;
        }
    }

    /** An exchange while it is counted. */
    private static final class Live {
        private final Instant start = Instant.now();
        private final String method;
        private final String path;
        private final String agent;
        private volatile Instant end = start;
        private long up;
        private long down;

        Live(byte[] chunk, int length) {
            String head = new String(chunk, 0, Math.min(length, 8192), StandardCharsets.ISO_8859_1);
            int lineEnd = head.indexOf("\r\n");
            String[] requestLine = (lineEnd < 0 ? head : head.substring(0, lineEnd)).split(" ");
            method = requestLine[0];
            path = requestLine.length > 1 ? requestLine[1] : "";
            agent = agentOf(head);
        }

        synchronized void add(long sent, long received) {
            up += sent;
            down += received;
            end = Instant.now();
        }

        synchronized Exchange snapshot() {
            return new Exchange(start, end, method, path, agent, up, down);
        }

        private static String agentOf(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "User-Agent:", 0, 11)) {
                    String value = line.substring(11).trim().toLowerCase(Locale.ROOT);
                    if (value.startsWith("docker/")) {
                        return "docker";
                    }
                    if (value.startsWith("java-http-client")) {
                        return "java";
                    }
                    int space = value.indexOf(' ');
                    return space < 0 ? value : value.substring(0, space);
                }
            }
            return "unknown";
        }
    }

    private static boolean startsWithMethod(byte[] chunk, int length) {
        int space = -1;
        for (int i = 0; i < Math.min(length, 8); i++) {
            if (chunk[i] == ' ') {
                space = i;
                break;
            }
        }
        return space > 0 && METHODS.contains(new String(chunk, 0, space, StandardCharsets.US_ASCII));
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
}

package dev.freshen.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A real HTTP server on 127.0.0.1 that records every request it receives, standing in for Teams, Slack or any
 * webhook endpoint. The status it answers is settable per test (e.g. 202 like Teams Workflows, 500 to fail), and
 * whole replies (status, headers such as {@code Retry-After}, body) can be scripted, also per request path.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** One scripted answer: a status, response headers and a body (empty: none). */
    public record Reply(int status, Map<String, String> headers, String body) {
        public Reply {
            headers = Map.copyOf(headers);
            body = body == null ? "" : body;
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), "");
        }

        public Reply withHeader(String name, String value) {
            var all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body);
        }

        public Reply withBody(String text) {
            return new Reply(status, headers, text);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Instant> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, Supplier<Reply>> pathScripts = new ConcurrentHashMap<>();
    private volatile IntSupplier status = () -> 202;
    private volatile Supplier<Reply> script;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getPath();
                receiver.arrivals.add(Instant.now());
                receiver.requests.add(new Request(exchange.getRequestMethod(), path,
                        Map.copyOf(exchange.getRequestHeaders()), body));
                Reply reply = receiver.replyFor(path);
                reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                byte[] content = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), content.length == 0 ? -1 : content.length);
                if (content.length > 0) {
                    exchange.getResponseBody().write(content);
                }
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook receiver", e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests received on {@code path}, in order. */
    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** When each request arrived, in the order of {@link #requests()}. */
    public List<Instant> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Answers {@code code} to every request from now on. */
    public void answer(int code) {
        script = null;
        status = () -> code;
    }

    /** Answers {@code first} to the next {@code times} requests, then {@code then}. */
    public void answer(int first, int times, int then) {
        AtomicInteger left = new AtomicInteger(times);
        script = null;
        status = () -> left.getAndDecrement() > 0 ? first : then;
    }

    /** Answers the {@code replies} in turn to the next requests (on paths without a script of their own), then the last one forever. */
    public void reply(Reply... replies) {
        script = sequence(replies);
    }

    /** Answers the {@code replies} in turn to the next requests on {@code path}, then the last one forever. */
    public void reply(String path, Reply... replies) {
        pathScripts.put(path, sequence(replies));
    }

    private Reply replyFor(String path) {
        Supplier<Reply> forPath = pathScripts.get(path);
        if (forPath != null) {
            return forPath.get();
        }
        Supplier<Reply> general = script;
        return general != null ? general.get() : Reply.status(status.getAsInt());
    }

    private static Supplier<Reply> sequence(Reply... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("at least one reply");
        }
        List<Reply> all = Arrays.asList(replies.clone());
        AtomicInteger next = new AtomicInteger();
        return () -> all.get(Math.min(next.getAndIncrement(), all.size() - 1));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

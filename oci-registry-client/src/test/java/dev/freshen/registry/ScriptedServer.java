package dev.freshen.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP server on 127.0.0.1 answering every request with what a script says, recording what it received: for
 * the registry behaviours a real registry cannot be made to show (429, 503, redirects, wrong content).
 */
final class ScriptedServer implements AutoCloseable {

    /** One request; {@code contentRange} is its {@code Content-Range} header or null. */
    record Received(String method, String path, String authorization, long nanos, String contentRange, byte[] body) {
    }

    record Reply(int status, Map<String, String> headers, byte[] body) {
        static Reply of(int status) {
            return new Reply(status, Map.of(), new byte[0]);
        }

        Reply header(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body);
        }

        Reply body(byte[] content) {
            return new Reply(status, headers, content);
        }
    }

    /** The reply to the {@code number}th request (1-based). */
    interface Script {
        Reply reply(int number, Received request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Script script;

    private ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static ScriptedServer start(Script script) {
        try {
            return new ScriptedServer(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime(),
                    exchange.getRequestHeaders().getFirst("Content-Range"), body);
            received.add(request);
            Reply reply;
            try {
                reply = script.reply(received.size(), request);
            } catch (Exception e) {
                reply = Reply.of(599).body(String.valueOf(e).getBytes());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean head = request.method().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
            if (!head) {
                exchange.getResponseBody().write(reply.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

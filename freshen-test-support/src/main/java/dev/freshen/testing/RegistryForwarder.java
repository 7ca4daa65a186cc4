package dev.freshen.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The forwarding half of the registry doubles that sit in front of a real registry ({@link EcrRegistryProxy},
 * {@link RegistryQuirkProxy}): sends a request received by a JDK {@code HttpServer} on to the backend (optionally with
 * the backend's own credentials instead of the caller's) and relays the answer, streaming the body and rewriting
 * absolute {@code Location} headers (upload sessions) from the backend's address to the proxy's. Redirects are relayed,
 * not followed.
 */
final class RegistryForwarder {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-authorization", "proxy-connection", "authorization",
            "date");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI backend;
    private final String authorization;

    /** @param authorization the {@code Authorization} header sent to the backend, or null for none */
    RegistryForwarder(URI backend, String authorization) {
        this.backend = backend;
        this.authorization = authorization;
    }

    /**
     * Sends the exchange's request, with its end-to-end headers (not the caller's {@code Authorization}), to the backend.
     *
     * @param rawQuery the query to forward (possibly changed from the request's), or null
     */
    HttpResponse<InputStream> send(HttpExchange exchange, String method, String rawQuery, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.toString().replaceAll("/$", "")
                        + exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery)))
                .timeout(Duration.ofMinutes(2))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Relays the backend's answer to the caller unchanged but for {@code Location} (see the class comment). */
    void relay(HttpExchange exchange, String method, HttpResponse<InputStream> response, String publicHost)
            throws IOException {
        relay(exchange, method, response, publicHost, headers -> {
        });
    }

    /**
     * Relays the backend's answer to the caller.
     *
     * @param publicHost {@code 127.0.0.1:<port>} of the proxy, for {@code Location} headers
     * @param adjust     changes the response headers before they are sent (a quirk), after copying
     */
    void relay(HttpExchange exchange, String method, HttpResponse<InputStream> response, String publicHost,
               Consumer<Headers> adjust) throws IOException {
        String backendBase = backend.toString().replaceAll("/$", "");
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || name.startsWith(":")) {
                return;
            }
            List<String> out = new ArrayList<>();
            for (String v : values) {
                out.add(lower.equals("location") && v.startsWith(backendBase)
                        ? "http://" + publicHost + v.substring(backendBase.length()) : v);
            }
            exchange.getResponseHeaders().put(name, out);
        });
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (method.equals("HEAD") && length >= 0) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        adjust.accept(exchange.getResponseHeaders());
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (method.equals("HEAD") || status == 204 || status == 304) {
                exchange.sendResponseHeaders(status, -1);
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length < 0 ? 0 : length);
            in.transferTo(exchange.getResponseBody());
        }
    }
}

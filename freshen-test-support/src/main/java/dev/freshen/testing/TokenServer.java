package dev.freshen.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A docker token server (the {@code realm} of {@code auth: token}) on 127.0.0.1: {@code GET /token?service=&scope=}.
 * With the right basic credentials it grants every action requested in the scopes; with wrong ones it answers 401;
 * anonymous requests get a token granting only {@code pull}. Tokens live {@value #LIFETIME_SECONDS} seconds.
 */
final class TokenServer implements AutoCloseable {

    static final int LIFETIME_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ANONYMOUS_ACTIONS = Set.of("pull");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final String username;
    private final String password;
    private final String service;
    private final String issuer;
    private final TokenSigner signer;
    private final AtomicInteger issued = new AtomicInteger();

    private TokenServer(HttpServer server, String username, String password, String service, String issuer,
                        TokenSigner signer) {
        this.server = server;
        this.username = username;
        this.password = password;
        this.service = service;
        this.issuer = issuer;
        this.signer = signer;
    }

    static TokenServer start(String username, String password, String service, String issuer, TokenSigner signer) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenServer server = new TokenServer(http, username, password, service, issuer, signer);
            http.createContext("/token", server::handle);
            http.setExecutor(server.executor);
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the token server", e);
        }
    }

    URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    int tokensIssued() {
        return issued.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, Map.of("errors", List.of(Map.of("code", "UNSUPPORTED", "message", "use GET"))));
                return;
            }
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            if (!List.of(service).equals(query.getOrDefault("service", List.of(service)))) {
                respond(exchange, 400, error("unknown service " + query.get("service")));
                return;
            }
            String subject = "";
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                if (!authorization.equals(basic(username, password))) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"freshen-test-token\"");
                    respond(exchange, 401, error("invalid username or password"));
                    return;
                }
                subject = username;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            for (String scopes : query.getOrDefault("scope", List.of())) {
                for (String scope : scopes.trim().split("\\s+")) {
                    grant(scope, !subject.isEmpty()).ifPresent(access::add);
                }
            }
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", issuer);
            claims.put("sub", subject);
            claims.put("aud", service);
            claims.put("exp", now + LIFETIME_SECONDS);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("access", access);
            String token = signer.sign(claims);
            issued.incrementAndGet();
            respond(exchange, 200, Map.of("token", token, "access_token", token, "expires_in", LIFETIME_SECONDS,
                    "issued_at", Instant.ofEpochSecond(now).toString()));
        }
    }

    /** {@code type:name:actions} to a JWT access entry; the name may hold colons (a registry host with port). */
    private static Optional<Map<String, Object>> grant(String scope, boolean authenticated) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || last == first) {
            return Optional.empty();
        }
        List<String> actions = new ArrayList<>();
        for (String action : scope.substring(last + 1).split(",")) {
            if (!action.isBlank() && (authenticated || ANONYMOUS_ACTIONS.contains(action))) {
                actions.add(action);
            }
        }
        return Optional.of(Map.of("type", scope.substring(0, first), "name", scope.substring(first + 1, last),
                "actions", actions));
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> error(String message) {
        return Map.of("errors", List.of(Map.of("code", "UNAUTHORIZED", "message", message)));
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

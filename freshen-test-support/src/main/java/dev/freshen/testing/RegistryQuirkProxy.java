package dev.freshen.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on 127.0.0.1 (free port) in front of a real registry without authentication ({@link LocalRegistry},
 * {@link RegistryProcess}) that behaves as a public registry product does in the field: its authentication, headers,
 * paging and HEAD habits, one {@link QuirkProfile} per product (each names its source). Blob uploads and downloads pass
 * through (bodies, redirects, {@code Location} headers rewritten to the proxy's address), so {@code docker pull} and
 * promotion through it work; dockerd talks plain HTTP to 127.0.0.1 without configuration (its HTTPS attempt first is
 * turned away at once by a {@link TlsRefusingFront}).
 *
 * <p>Token profiles ({@link QuirkProfile#DOCKER_HUB}, {@link QuirkProfile#GHCR}, {@link QuirkProfile#ARTIFACTORY})
 * serve their token endpoint on the proxy itself and check the opaque tokens they issued (the backend has no auth, so
 * the JWT machinery of {@link TokenServer} is not needed): anonymous tokens grant {@code pull}, tokens fetched with
 * {@link #username()}/{@link #password()} grant {@code pull,push}. {@link QuirkProfile#ECR} takes {@code AWS} /
 * {@link #password()} as basic credentials.
 *
 * <p>Fault switches for any profile: {@link #headStatus(int)} (HEAD on manifests answers a status) and
 * {@link #tooManyRequestsAfter(int)} (429 after a number of requests). Every request is recorded ({@link #requests()}).
 */
public final class RegistryQuirkProxy implements AutoCloseable {

    /** The user whose token (or, for ECR, basic credentials) may push; ECR's user is {@code AWS}. */
    public static final String USER = "freshen";
    /** Docker Hub's documented anonymous allowance: 100 pulls per 6 hours. */
    public static final int DOCKER_HUB_ANONYMOUS_LIMIT = 100;
    static final String RATE_LIMIT_WINDOW = ";w=21600";
    static final int QUAY_PAGE_SIZE = 50;
    static final String ARTIFACTORY_TOKEN_PATH = "/artifactory/api/docker/v2/token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("/v2/(.+?)/(manifests/[^/]+|blobs/uploads/?[^/]*|blobs/[^/]+|tags/list)");

    /** One request as the proxy answered it. */
    public record Request(String method, String path, int status) {
    }

    private record Grant(boolean push, Set<String> repositories) {

        boolean allows(String repository, boolean needsPush) {
            return (!needsPush || push) && (repositories == null || repositories.contains(repository));
        }
    }

    private final QuirkProfile profile;
    private final HttpServer server;
    private final TlsRefusingFront front;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final RegistryForwarder forwarder;
    private final String password = "quirk-" + UUID.randomUUID();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger pullsLeft = new AtomicInteger(DOCKER_HUB_ANONYMOUS_LIMIT);
    private volatile int pullLimit = DOCKER_HUB_ANONYMOUS_LIMIT;
    private volatile int headStatus;
    private final AtomicInteger requestsBefore429 = new AtomicInteger(-1);

    private RegistryQuirkProxy(QuirkProfile profile, URI backend) throws IOException {
        this.profile = profile;
        this.forwarder = new RegistryForwarder(backend, null);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        front = TlsRefusingFront.start(server.getAddress().getPort());
    }

    /** Starts a proxy playing {@code profile} in front of {@code backend} (a registry without authentication). */
    public static RegistryQuirkProxy start(QuirkProfile profile, URI backend) {
        try {
            return new RegistryQuirkProxy(profile, backend);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry quirk proxy", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references through the proxy. */
    /**
     * The {@code freshen.registries.credentials.<profile>.*} settings (host, username, password) a service needs to
     * pull and push through this proxy, {@code <profile>} being the profile's name in kebab case ({@code docker-hub}).
     */
    public java.util.Map<String, String> credentialSettings() {
        String prefix = "freshen.registries.credentials." + profile.id();
        return java.util.Map.of(prefix + ".host", host(), prefix + ".username", username(), prefix + ".password", password());
    }

    public String host() {
        return "127.0.0.1:" + front.port();
    }

    public QuirkProfile profile() {
        return profile;
    }

    /** The user that may push: {@value #USER}, or {@code AWS} for {@link QuirkProfile#ECR}. */
    public String username() {
        return profile == QuirkProfile.ECR ? "AWS" : USER;
    }

    /** The password of {@link #username()} (for ECR: the authorization token). */
    public String password() {
        return password;
    }

    /** Docker Hub: sets the allowance of manifest GETs ({@code ratelimit-limit}) and resets what is left to it. */
    public void pullLimit(int limit) {
        pullLimit = limit;
        pullsLeft.set(limit);
    }

    /** Docker Hub: manifest GETs left before 429 ({@code ratelimit-remaining}). */
    public int pullsLeft() {
        return Math.max(0, pullsLeft.get());
    }

    /** HEAD on a manifest answers {@code status} with an empty body (404, 405, 400, 501, ...); 0 turns this off. */
    public void headStatus(int status) {
        headStatus = status;
    }

    /** The next {@code count} registry requests are served, every one after them answers 429; -1 turns this off. */
    public void tooManyRequestsAfter(int count) {
        requestsBefore429.set(count);
    }

    /** Every request so far, in arrival order, token requests included. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many requests had this method and a path matching {@code pathRegex} (whole path). */
    public long count(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equals(method) && pattern.matcher(r.path()).matches()).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            int status;
            try {
                status = answer(exchange, method, path);
            } catch (IOException | RuntimeException e) {
                requests.add(new Request(method, path, 502));
                throw e;
            }
            requests.add(new Request(method, path, status));
        }
    }

    /** Answers the exchange and returns the status sent. */
    private int answer(HttpExchange exchange, String method, String path) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("/token") || path.equals(ARTIFACTORY_TOKEN_PATH)) {
            return token(exchange);
        }
        if (requestsBefore429.get() >= 0 && requestsBefore429.getAndUpdate(n -> n > 0 ? n - 1 : n) == 0) {
            return error(exchange, 429, "TOOMANYREQUESTS", "too many requests", Map.of("Retry-After", "1"));
        }
        Matcher api = API.matcher(path);
        String repository = api.matches() ? URLDecoder.decode(api.group(1), StandardCharsets.UTF_8) : null;
        String kind = api.matches() ? api.group(2) : "";
        boolean push = !method.equals("GET") && !method.equals("HEAD");
        Optional<Integer> refused = authorize(exchange, repository, push);
        if (refused.isPresent()) {
            return refused.get();
        }
        boolean manifest = kind.startsWith("manifests/");
        if (manifest && method.equals("HEAD") && headStatus != 0) {
            exchange.sendResponseHeaders(headStatus, -1);
            return headStatus;
        }
        if (profile == QuirkProfile.DOCKER_HUB && manifest && (method.equals("GET") || method.equals("HEAD"))) {
            if (method.equals("GET") && pullsLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
                return error(exchange, 429, "TOOMANYREQUESTS", "You have reached your unauthenticated pull rate limit."
                        + " https://www.docker.com/increase-rate-limit", Map.of("ratelimit-limit", pullLimit + RATE_LIMIT_WINDOW,
                        "ratelimit-remaining", "0" + RATE_LIMIT_WINDOW));
            }
            int left = pullsLeft();
            return forward(exchange, method, body, headers -> {
                headers.set("ratelimit-limit", pullLimit + RATE_LIMIT_WINDOW);
                headers.set("ratelimit-remaining", left + RATE_LIMIT_WINDOW);
                headers.set("docker-ratelimit-source", "127.0.0.1");
            });
        }
        if (profile == QuirkProfile.HARBOR && manifest && method.equals("HEAD")) {
            return forward(exchange, method, body, headers -> {
                headers.remove("Docker-Content-Digest");
                headers.remove("Content-Type");
                headers.remove("Content-Length");
                headers.remove("Etag");
            });
        }
        if (profile == QuirkProfile.QUAY && kind.equals("tags/list") && method.equals("GET")) {
            return quayTags(exchange, repository);
        }
        HttpResponse<InputStream> response = forwarder.send(exchange, method, exchange.getRequestURI().getRawQuery(), body);
        forwarder.relay(exchange, method, response, host());
        return response.statusCode();
    }

    private int forward(HttpExchange exchange, String method, byte[] body,
                        Consumer<Headers> adjust) throws IOException {
        HttpResponse<InputStream> response = forwarder.send(exchange, method, exchange.getRequestURI().getRawQuery(), body);
        forwarder.relay(exchange, method, response, host(), adjust);
        return response.statusCode();
    }

    /** Quay's paging: all tags from the backend, cut into pages linked by an opaque {@code next_page} token. */
    private int quayTags(HttpExchange exchange, String repository) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        HttpResponse<InputStream> response = forwarder.send(exchange, "GET", null, new byte[0]);
        if (response.statusCode() != 200) {
            forwarder.relay(exchange, "GET", response, host());
            return response.statusCode();
        }
        byte[] all;
        try (InputStream in = response.body()) {
            all = in.readAllBytes();
        }
        List<String> tags = new ArrayList<>();
        JSON.readTree(all).path("tags").forEach(tag -> tags.add(tag.asText()));
        tags.sort(null); // the backend's order without n= is its storage order; pages need a stable one
        int size = query.containsKey("n") ? Math.max(1, Math.min(QUAY_PAGE_SIZE, Integer.parseInt(query.get("n")))) : QUAY_PAGE_SIZE;
        int from = query.containsKey("next_page") ? pageOffset(query.get("next_page")) : 0;
        int to = Math.min(tags.size(), from + size);
        if (to < tags.size()) {
            String next = "gAAAAA" + Base64.getUrlEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Link", "</v2/" + repository + "/tags/list?next_page="
                    + URLEncoder.encode(next, StandardCharsets.UTF_8) + "&n=" + size + ">; rel=\"next\"");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("name", repository);
        page.put("tags", tags.subList(Math.min(from, to), to));
        return json(exchange, 200, page, Map.of());
    }

    private static int pageOffset(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token.substring("gAAAAA".length())), StandardCharsets.UTF_8);
            return Integer.parseInt(decoded.substring("offset:".length()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a next_page token of this proxy: " + token, e);
        }
    }

    /** Empty when the request may go on; else the status of the challenge sent. */
    private Optional<Integer> authorize(HttpExchange exchange, String repository, boolean push) throws IOException {
        String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
        switch (profile) {
            case MCR, QUAY, HARBOR -> {
                return Optional.empty();
            }
            case ECR -> {
                String expected = "Basic " + Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
                if (authorization.equals(expected)) {
                    return Optional.empty();
                }
                return Optional.of(error(exchange, 401, "DENIED", "Not Authorized", Map.of("WWW-Authenticate",
                        "Basic realm=\"https://" + host() + "/\",service=\"ecr.amazonaws.com\"")));
            }
            default -> {
                Grant grant = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? tokens.get(authorization.substring(7).trim()) : null;
                if (grant != null && (repository == null || grant.allows(repository, push))) {
                    return Optional.empty();
                }
                String challenge = switch (profile) {
                    case DOCKER_HUB -> bearer("/token", "registry.docker.io", repository, push);
                    case GHCR -> bearer("/token", "ghcr.io", repository, push);
                    default -> "Bearer realm=\"http://" + host() + ARTIFACTORY_TOKEN_PATH + "\"";
                };
                return Optional.of(error(exchange, 401, grant == null ? "UNAUTHORIZED" : "DENIED",
                        grant == null ? "authentication required" : "requested access to the resource is denied",
                        Map.of("WWW-Authenticate", challenge)));
            }
        }
    }

    private String bearer(String tokenPath, String service, String repository, boolean push) {
        String challenge = "Bearer realm=\"http://" + host() + tokenPath + "\",service=\"" + service + "\"";
        return repository == null ? challenge
                : challenge + ",scope=\"repository:" + repository + ":" + (push ? "pull,push" : "pull") + "\"";
    }

    /** The token endpoint: {@code GET ?service=&scope=}, anonymous or with basic credentials. */
    private int token(HttpExchange exchange) throws IOException {
        if (profile == QuirkProfile.MCR || profile == QuirkProfile.QUAY || profile == QuirkProfile.HARBOR
                || profile == QuirkProfile.ECR) {
            return error(exchange, 404, "NOT_FOUND", "no token endpoint", Map.of());
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean authenticated = false;
        if (authorization != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!authorization.equals(expected)) {
                return error(exchange, 401, "UNAUTHORIZED", "incorrect username or password", Map.of());
            }
            authenticated = true;
        }
        Set<String> repositories = null; // Artifactory: no scope, the token covers what the user may do
        String rawQuery = exchange.getRequestURI().getRawQuery();
        List<String> scopes = new ArrayList<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("scope=")) {
                    scopes.addAll(List.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).trim().split("\\s+")));
                }
            }
        }
        if (profile != QuirkProfile.ARTIFACTORY) {
            repositories = ConcurrentHashMap.newKeySet();
            for (String scope : scopes) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first > 0 && last > first && scope.startsWith("repository:")) {
                    repositories.add(scope.substring(first + 1, last));
                }
            }
        }
        String token = UUID.randomUUID().toString();
        tokens.put(token, new Grant(authenticated, repositories));
        return json(exchange, 200, Map.of("token", token, "access_token", token, "expires_in", 300), Map.of());
    }

    private static int error(HttpExchange exchange, int status, String code, String message, Map<String, String> headers)
            throws IOException {
        return json(exchange, status, Map.of("errors", List.of(Map.of("code", code, "message", message, "detail", List.of()))),
                headers);
    }

    private static int json(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        return status;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        front.close();
        server.stop(0);
        executor.shutdownNow();
    }
}

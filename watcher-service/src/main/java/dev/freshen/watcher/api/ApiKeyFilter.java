package dev.freshen.watcher.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;

/**
 * Write endpoints ({@code POST /api/...}) need {@code Authorization: Bearer <key>} with one of the watcher's
 * {@link ApiKeys}; reads are open. A missing header or another scheme is {@code 401 missing-api-key}, a key that is
 * none of the watcher's {@code 401 wrong-api-key} (the key is never echoed). {@link #caller} names the key a request
 * came with, so that a forced run records who asked as {@code api:<name>}.
 */
public class ApiKeyFilter {

    private static final String BEARER = "bearer ";

    @Inject
    ApiKeys apiKeys;

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<String>> requireKey(HttpServerRequest request) {
        String method = request.method().name();
        if (!request.path().startsWith("/api/") || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return Optional.empty();
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Optional.of(ProblemResponses.of(ApiProblem.missingApiKey("this endpoint needs the watcher's API key")));
        }
        Optional<String> key = bearer(header);
        if (key.isEmpty()) {
            return Optional.of(ProblemResponses.of(ApiProblem.missingApiKey(
                    "the Authorization header must be 'Bearer <key>' with the watcher's API key")));
        }
        if (apiKeys.nameOf(key.get()).isEmpty()) {
            return Optional.of(ProblemResponses.of(ApiProblem.wrongApiKey()));
        }
        return Optional.empty();
    }

    /** Who sent a request that passed this filter: {@code api:<key name>}. */
    static String caller(ApiKeys apiKeys, String authorization) {
        return "api:" + bearer(authorization).flatMap(apiKeys::nameOf).orElseThrow(
                () -> new IllegalStateException("a write request without a valid key passed the filter"));
    }

    /** The key of {@code Authorization: Bearer <key>} (the scheme in any case); empty for another scheme or none. */
    private static Optional<String> bearer(String header) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Optional.empty();
        }
        String key = header.substring(BEARER.length()).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}

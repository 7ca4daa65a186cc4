package dev.freshen.watcher.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** Write endpoints ({@code POST /api/...}) need {@code Authorization: Bearer <api key>}; reads are open. */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    ApiKey apiKey;

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<Map<String, String>>> requireKey(HttpServerRequest request) {
        if (!request.path().startsWith("/api/") || request.method().name().equals("GET")
                || request.method().name().equals("HEAD") || request.method().name().equals("OPTIONS")) {
            return Optional.empty();
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith(BEARER) && MessageDigest.isEqual(
                header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8), apiKey.bytes())) {
            return Optional.empty();
        }
        return Optional.of(RestResponse.ResponseBuilder.<Map<String, String>>create(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"freshen\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", header == null ? "this endpoint needs Authorization: Bearer <api key>" : "invalid API key"))
                .build());
    }
}

package dev.freshen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The watcher's REST API (docs/api.md), as the CLI uses it. Reads need no key; check, force-update and rollback send
 * the API key. The watcher's errors are problem details ({@code application/problem+json}); each becomes one
 * {@link CliException} whose message is {@code <detail>; <hint>}, the way every channel shows a problem.
 */
final class WatcherApi {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** A check asks the upstream registries (with retries): give it time. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(120);

    /** The watcher could not be reached at all (as opposed to answering with an error). */
    static final class Unreachable extends CliException {
        Unreachable(String message) {
            super(message);
        }
    }

    private final String base;
    private final Supplier<String> apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WatcherApi(String base, Supplier<String> apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    String base() {
        return base;
    }

    /** {@code POST /api/v1/images/{id}/force-update}: the run id. */
    String forceUpdate(String imageId, String reason) {
        String body = reason == null ? "" : Json.compact(Map.of("reason", reason));
        JsonNode answer = send(write("/api/v1/images/" + imageId + "/force-update", body, READ_TIMEOUT));
        return answer.path("runId").asText();
    }

    /** {@code POST /api/v1/images/{id}/rollback}: the rollback id and the versions it moves between. */
    JsonNode rollback(String imageId, String to, String reason) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (to != null) {
            fields.put("to", to);
        }
        if (reason != null) {
            fields.put("reason", reason);
        }
        String body = fields.isEmpty() ? "" : Json.compact(fields);
        return send(write("/api/v1/images/" + imageId + "/rollback", body, CHECK_TIMEOUT));
    }

    /** {@code POST /api/v1/images/{id}/check}: the check's outcome. */
    JsonNode check(String imageId) {
        return send(write("/api/v1/images/" + imageId + "/check", "", CHECK_TIMEOUT));
    }

    /** {@code GET /api/v1/images}. */
    JsonNode images() {
        return send(read("/api/v1/images"));
    }

    /** {@code GET /api/v1/images/{id}}; an image that is not watched is the problem {@code unknown-image}. */
    JsonNode image(String imageId) {
        return send(read("/api/v1/images/" + imageId));
    }

    /** {@code GET /api/v1/runs/{id}}; empty when the watcher does not know the run (yet). */
    Optional<JsonNode> run(String runId) {
        HttpResponse<String> response = exchange(read("/api/v1/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8)));
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return Optional.empty();
        }
        return Optional.of(body(response));
    }

    private HttpRequest read(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(READ_TIMEOUT).GET().build();
    }

    private HttpRequest write(String path, String body, Duration timeout) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey.get())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** {@code base + path}, or the line saying that {@code base} is no http(s) URL. */
    private URI uri(String path) {
        try {
            URI uri = URI.create(base + path);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(notAUrl());
        }
    }

    private String notAUrl() {
        return "'" + base + "' is not a URL (--api or FRESHEN_API), e.g. http://127.0.0.1:8081";
    }

    private JsonNode send(HttpRequest request) {
        return body(exchange(request));
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("the watcher at " + base + " is not reachable (" + Problems.describe(e)
                    + "); start it, or set --api or FRESHEN_API to its URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new CliException(notAUrl());
        }
    }

    private JsonNode body(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CliException("the answer from " + base + " is not the watcher's JSON (HTTP " + response.statusCode()
                    + "); is --api or FRESHEN_API the watcher's URL?");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return body;
        }
        throw new CliException(problem(body, status));
    }

    /**
     * A problem as one line, {@code <detail>; <hint>} (RFC 9457 problem details with Freshen's {@code hint}
     * extension); an answer that is no problem: what the watcher said, or its status.
     */
    static String problem(JsonNode body, int status) {
        String detail = body.path("detail").asText(body.path("error").asText(""));
        if (detail.isBlank()) {
            detail = "the watcher answered HTTP " + status;
        }
        String hint = body.path("hint").asText("");
        return hint.isBlank() ? detail : detail + "; " + hint;
    }
}

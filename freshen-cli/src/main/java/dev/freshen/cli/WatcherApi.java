package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** The watcher's REST API, as the CLI uses it. */
final class WatcherApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Supplier<String> apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WatcherApi(String base, Supplier<String> apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    String forceUpdate(String imageId, String reason) {
        String body = reason == null ? "" : write(Map.of("reason", reason));
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/images/" + imageId + "/force-update"))
                .header("Authorization", "Bearer " + apiKey.get())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        return answer.path("runId").asText();
    }

    JsonNode images() {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/images")).GET().build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new CliException("the watcher answered " + response.statusCode() + ": "
                        + body.path("error").asText(response.body()));
            }
            return body;
        } catch (IOException e) {
            throw new CliException("the watcher at " + base + " is not reachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

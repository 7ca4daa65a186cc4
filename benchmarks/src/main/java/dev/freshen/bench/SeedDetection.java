package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.registry.MediaTypes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's way of finding out whether a platform image needs a rebuild, against the same registry: for each image,
 * GET the upstream repository's full tag list (one request, no paging, as the seed's script did), then "describe
 * images" on the target repository. A local registry has no ECR API, so describe-images (every image of the repository
 * with its tags, digest and details) is emulated as the target's tag list plus one manifest GET per tag: the same
 * information, fetched through the distribution API.
 *
 * <p>Kind to the seed: one keep-alive HTTP/1.1 client for the whole cycle (a script starts curl and the AWS CLI anew for
 * every call, with new connections and, on MCR and ECR, a token request each).
 */
final class SeedDetection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String registry;

    /** @param registry {@code host:port} every request goes to (the counting proxy) */
    SeedDetection(String registry) {
        this.registry = registry;
    }

    /** One image's check; returns how many upstream tags and target images it looked at. */
    int check(String upstreamRepository, String targetRepository) {
        List<String> upstream = tags(upstreamRepository);
        if (upstream.isEmpty()) {
            throw new IllegalStateException("the upstream repository " + upstreamRepository + " has no tags");
        }
        int described = 0;
        for (String tag : tags(targetRepository)) {
            byte[] manifest = get("/v2/" + targetRepository + "/manifests/" + tag, MediaTypes.MANIFEST_ACCEPT);
            described += manifest.length > 0 ? 1 : 0;
        }
        return upstream.size() + described;
    }

    private List<String> tags(String repository) {
        List<String> tags = new ArrayList<>();
        try {
            JsonNode list = JSON.readTree(get("/v2/" + repository + "/tags/list", "application/json"));
            list.path("tags").forEach(t -> tags.add(t.asText()));
        } catch (IOException e) {
            throw new IllegalStateException("tag list of " + repository + " is not JSON", e);
        }
        return tags;
    }

    private byte[] get(String path, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + registry + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

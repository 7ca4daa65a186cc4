package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real registry behind {@link EcrApiServer}: manifests and tags of a {@link HtpasswdRegistry} read and written with
 * the distribution API and its basic credentials, so that what the ECR API double says is what a registry holds.
 */
final class EcrRegistryBackend {

    /** A manifest as the registry serves it. */
    record StoredManifest(byte[] content, String mediaType, String digest) {
    }

    static final List<String> MANIFEST_TYPES = List.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    EcrRegistryBackend(URI base, String username, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A manifest by tag or digest; empty when the registry does not have it. */
    Optional<StoredManifest> manifest(String repository, String reference, List<String> accepted) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", String.join(", ", accepted.isEmpty() ? MANIFEST_TYPES : accepted)).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        require(response, 200, "GET manifest " + repository + ":" + reference);
        String type = response.headers().firstValue("Content-Type").orElse(MANIFEST_TYPES.get(2));
        return Optional.of(new StoredManifest(response.body(), type.split(";")[0].trim(), sha256(response.body())));
    }

    /** The digest a tag names; empty when there is no such tag. */
    Optional<String> digest(String repository, String tag) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + tag)
                .header("Accept", String.join(", ", MANIFEST_TYPES)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        require(response, 200, "HEAD manifest " + repository + ":" + tag);
        return response.headers().firstValue("Docker-Content-Digest");
    }

    /**
     * Stores a manifest under a tag or digest.
     *
     * @return null when stored, else the registry's error code (e.g. {@code MANIFEST_BLOB_UNKNOWN})
     */
    String put(String repository, String reference, String mediaType, byte[] content) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (response.statusCode() == 201) {
            return null;
        }
        try {
            JsonNode errors = JSON.readTree(response.body()).path("errors");
            return errors.isArray() && !errors.isEmpty() ? errors.get(0).path("code").asText("UNKNOWN")
                    + ": " + errors.get(0).path("message").asText("") : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "HTTP " + response.statusCode();
        }
    }

    /**
     * Deletes the manifest {@code digest} from {@code repository}, with every tag on it (the registry behind deletes by
     * digest only).
     *
     * @return false when the repository did not hold it
     */
    boolean delete(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + digest).DELETE());
        if (response.statusCode() == 404) {
            return false;
        }
        require(response, 202, "DELETE manifest " + repository + "@" + digest);
        return true;
    }

    /**
     * Copies a single-platform image from an open registry into {@code repository} under {@code tag}: the blobs the
     * repository lacks, then the manifest, bytes unchanged.
     *
     * @return the manifest digest
     */
    String importImage(URI source, String sourceRepository, String reference, String repository, String tag) {
        HttpResponse<byte[]> manifest = send(HttpRequest.newBuilder(source.resolve("/v2/" + sourceRepository
                + "/manifests/" + reference)).header("Accept", String.join(", ", MANIFEST_TYPES)).GET());
        require(manifest, 200, "GET manifest " + source + "/" + sourceRepository + ":" + reference);
        String mediaType = manifest.headers().firstValue("Content-Type").orElse(MANIFEST_TYPES.get(2)).split(";")[0].trim();
        List<String> blobs = new ArrayList<>();
        try {
            JsonNode json = JSON.readTree(manifest.body());
            if (json.has("manifests")) {
                throw new IllegalArgumentException(sourceRepository + ":" + reference + " is an index; import one platform");
            }
            blobs.add(json.path("config").path("digest").asText());
            json.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String digest : blobs) {
            if (send(request("/v2/" + repository + "/blobs/" + digest)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode() == 200) {
                continue;
            }
            HttpResponse<byte[]> blob = send(HttpRequest.newBuilder(source.resolve("/v2/" + sourceRepository + "/blobs/"
                    + digest)).GET());
            require(blob, 200, "GET blob " + digest + " of " + sourceRepository);
            HttpResponse<byte[]> started = send(request("/v2/" + repository + "/blobs/uploads/")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            require(started, 202, "POST upload into " + repository);
            URI location = base.resolve(started.headers().firstValue("Location").orElseThrow());
            HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(location + (location.getRawQuery() == null
                    ? "?" : "&") + "digest=" + digest)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                    .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob.body())));
            require(put, 201, "PUT blob " + digest + " into " + repository);
        }
        String error = put(repository, tag, mediaType, manifest.body());
        if (error != null) {
            throw new IllegalStateException("PUT manifest " + repository + ":" + tag + ": " + error);
        }
        return sha256(manifest.body());
    }

    /** Every tag of a repository, sorted; empty when it does not exist. */
    List<String> tags(String repository) {
        List<String> tags = new ArrayList<>();
        String next = "/v2/" + repository + "/tags/list?n=1000";
        while (next != null) {
            HttpResponse<byte[]> response = send(request(next).GET());
            if (response.statusCode() == 404) {
                return tags;
            }
            require(response, 200, "GET tags of " + repository);
            try {
                JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher link = NEXT.matcher(response.headers().firstValue("Link").orElse(""));
            next = link.find() ? link.group(1) : null;
        }
        tags.sort(null);
        return tags;
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the registry behind the ECR double is unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}

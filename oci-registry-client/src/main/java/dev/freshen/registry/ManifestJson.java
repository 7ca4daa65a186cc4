package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what the client needs from manifests, indexes and image config blobs. */
final class ManifestJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestJson() {
    }

    /** The media type a manifest body declares, or (without one) what its shape says. */
    static String mediaTypeOf(byte[] content) {
        JsonNode json = read(content, "manifest");
        String declared = json.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        return json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    /**
     * The digest of the index entry for {@code platform} ({@code os/arch[/variant]}; without a variant any variant
     * matches), else of the first entry that is not an attestation ({@code unknown/unknown}), else of the first.
     */
    static Digest platformManifest(Manifest index, String platform) {
        String[] wanted = platform.split("/");
        JsonNode entries = read(index.content(), "index " + index.digest()).path("manifests");
        if (!entries.isArray() || entries.isEmpty()) {
            throw new RegistryException("index " + index.digest() + " lists no manifests", 0, false, "MANIFEST_INVALID");
        }
        JsonNode fallback = null;
        for (JsonNode entry : entries) {
            JsonNode p = entry.path("platform");
            String os = p.path("os").asText("");
            String arch = p.path("architecture").asText("");
            if (os.equals(wanted[0]) && arch.equals(wanted[1])
                    && (wanted.length < 3 || wanted[2].equals(p.path("variant").asText("")))) {
                return digestOf(entry, index);
            }
            if (fallback == null && !(os.equals("unknown") && arch.equals("unknown"))) {
                fallback = entry;
            }
        }
        return digestOf(fallback != null ? fallback : entries.get(0), index);
    }

    /** The digest of an image manifest's config blob. */
    static Digest configDigest(Manifest manifest) {
        JsonNode config = read(manifest.content(), "manifest " + manifest.digest()).path("config");
        if (!config.has("digest")) {
            throw new RegistryException("manifest " + manifest.digest() + " (" + manifest.mediaType()
                    + ") has no config descriptor", 0, false, "MANIFEST_INVALID");
        }
        return digestOf(config, manifest);
    }

    /**
     * Labels, user and environment of an image config blob ({@code config.Labels}, {@code config.User},
     * {@code config.Env}) and the platform it names ({@code os}, {@code architecture}, {@code variant}).
     */
    static ImageConfig imageConfig(byte[] blob, Digest configDigest) {
        JsonNode image = read(blob, "image config " + configDigest);
        JsonNode config = image.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText("")));
        List<String> env = new ArrayList<>();
        config.path("Env").forEach(e -> env.add(e.asText("")));
        return new ImageConfig(labels, config.path("User").asText(""), env, configDigest, image.path("os").asText(null),
                image.path("architecture").asText(null), image.path("variant").asText(null));
    }

    /** The {@code tags} of a tag list response ({@code null} when the repository has none). */
    static List<String> tags(byte[] body, String what) {
        List<String> tags = new ArrayList<>();
        read(body, what).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    private static Digest digestOf(JsonNode descriptor, Manifest in) {
        try {
            return Digest.parse(descriptor.path("digest").asText(""));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("manifest " + in.digest() + " holds an invalid digest: " + e.getMessage(), 0,
                    false, "MANIFEST_INVALID", e);
        }
    }

    /** {@code content} as a JSON object; a {@link RegistryException} naming {@code what} when it is not one. */
    static JsonNode read(byte[] content, String what) {
        try {
            JsonNode json = JSON.readTree(content);
            if (json == null || !json.isObject()) {
                throw new IOException("not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new RegistryException(what + " is not valid JSON: " + e.getMessage(), 0, false, null, e);
        }
    }
}

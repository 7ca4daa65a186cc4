package dev.freshen.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes and reads OCI image indexes ({@code application/vnd.oci.image.index.v1+json}, OCI image spec
 * {@code image-index.md}): the one manifest a multi-platform image is published as, naming one image manifest per
 * platform. Freshen assembles its indexes itself (no {@code docker manifest}, no buildx), so that their bytes, and with
 * them the digest the tester verifies and the publisher promotes, depend only on what is in them.
 *
 * <p>Written form: compact JSON, keys in a fixed order ({@code schemaVersion}, {@code mediaType}, {@code manifests},
 * {@code annotations}; per entry {@code mediaType}, {@code digest}, {@code size}, {@code annotations},
 * {@code platform} with {@code architecture}, {@code os}, {@code variant}), annotations sorted by key, empty
 * annotations left out. The same entries and annotations always give the same bytes.
 */
public final class ImageIndexes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    private ImageIndexes() {
    }

    /**
     * One image manifest of an index.
     *
     * @param mediaType   the child's media type (OCI or Docker v2 image manifest)
     * @param digest      the child's digest
     * @param size        the child's size in bytes
     * @param platform    the platform the child is the image of
     * @param annotations the entry's annotations (e.g. {@code org.opencontainers.image.base.digest}), empty for none
     */
    public record Entry(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {
        public Entry {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(platform, "platform");
            if (size <= 0) {
                throw new IllegalArgumentException("index entry " + digest + ": size must be positive, was " + size);
            }
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    /** The entry of {@code child}, an image manifest, as the image of {@code platform}. */
    public static Entry entryOf(Manifest child, Platform platform, Map<String, String> annotations) {
        if (child.isIndex()) {
            throw new IllegalArgumentException("manifest " + child.digest() + " is an index; an index lists image manifests");
        }
        return new Entry(child.mediaType(), child.digest(), child.size(), platform, annotations);
    }

    /**
     * The OCI image index of {@code entries} (in this order) with index-level {@code annotations}.
     *
     * @throws IllegalArgumentException when there are no entries or a platform is listed twice
     */
    public static Manifest write(List<Entry> entries, Map<String, String> annotations) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an image index lists at least one image manifest");
        }
        if (entries.stream().map(Entry::platform).distinct().count() != entries.size()) {
            throw new IllegalArgumentException("an image index lists each platform once: " + entries.stream()
                    .map(e -> e.platform().toString()).toList());
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Entry e : entries) {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", e.mediaType());
            entry.put("digest", e.digest().toString());
            entry.put("size", e.size());
            putAnnotations(entry, e.annotations());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", e.platform().architecture());
            platform.put("os", e.platform().os());
            if (e.platform().variant() != null) {
                platform.put("variant", e.platform().variant());
            }
        }
        putAnnotations(index, annotations == null ? Map.of() : annotations);
        try {
            return Manifest.of(MediaTypes.OCI_INDEX, JSON.writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an image index", e);
        }
    }

    /**
     * The image entries of an index, in its order: entries without a platform, with {@code unknown/unknown}
     * (BuildKit's attestation manifests) or annotated {@code vnd.docker.reference.type: attestation-manifest} are
     * left out, as is a platform Freshen cannot name.
     *
     * @throws IllegalArgumentException when {@code index} is not an index
     * @throws RegistryException        {@code MANIFEST_INVALID} when an entry's digest or size is unreadable
     */
    public static List<Entry> read(Manifest index) {
        if (!index.isIndex()) {
            throw new IllegalArgumentException("manifest " + index.digest() + " (" + index.mediaType() + ") is not an index");
        }
        JsonNode json = ManifestJson.read(index.content(), "index " + index.digest());
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : json.path("manifests")) {
            if (entry.path("annotations").path(REFERENCE_TYPE).asText("").equals("attestation-manifest")) {
                continue;
            }
            JsonNode p = entry.path("platform");
            Platform platform = new ImageConfig(Map.of(), "", List.of(), index.digest(), p.path("os").asText(null),
                    p.path("architecture").asText(null), p.path("variant").asText(null)).platform();
            if (platform == null) {
                continue;
            }
            Map<String, String> annotations = new TreeMap<>();
            entry.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText("")));
            try {
                entries.add(new Entry(entry.path("mediaType").asText(MediaTypes.OCI_MANIFEST),
                        Digest.parse(entry.path("digest").asText("")), entry.path("size").asLong(), platform, annotations));
            } catch (IllegalArgumentException e) {
                throw new RegistryException("index " + index.digest() + " holds an invalid entry: " + e.getMessage(), 0,
                        false, "MANIFEST_INVALID", e);
            }
        }
        return entries;
    }

    private static void putAnnotations(ObjectNode node, Map<String, String> annotations) {
        if (!annotations.isEmpty()) {
            ObjectNode out = node.putObject("annotations");
            new TreeMap<>(annotations).forEach(out::put);
        }
    }
}

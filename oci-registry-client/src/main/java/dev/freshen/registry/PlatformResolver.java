package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves a tag to the image manifest of one platform. The tag's digest is asked every time (one {@code HEAD});
 * what a digest lists is read once and kept, since the content behind a digest never changes: an unchanged check of
 * a multi-platform base costs one request.
 *
 * <p>An image index lists one entry per platform; entries without a platform, with {@code unknown/unknown} (BuildKit's
 * attestation manifests) or annotated {@code vnd.docker.reference.type: attestation-manifest} are not images and are
 * left out. A single image manifest is an image of the platform its config names ({@code os}, {@code architecture},
 * {@code variant}). Sources: OCI image spec {@code image-index.md}; BuildKit {@code docs/attestations/attestation-storage.md}.
 */
final class PlatformResolver {

    private static final int CACHED_DIGESTS = 512;
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    private final RegistryClient client;
    private final Map<Digest, Map<Platform, Digest>> images = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Digest, Map<Platform, Digest>> eldest) {
                    return size() > CACHED_DIGESTS;
                }
            });

    PlatformResolver(RegistryClient client) {
        this.client = client;
    }

    /**
     * @return empty when the tag does not exist
     * @throws RegistryException {@code PLATFORM_UNKNOWN} (permanent) when the tag has no image for {@code platform},
     *                           naming the platforms it has
     */
    Optional<PlatformManifest> resolve(ImageReference ref, Platform platform) {
        Optional<Digest> tagDigest = ref.digest() != null ? Optional.of(ref.digest()) : client.manifestDigest(ref);
        if (tagDigest.isEmpty()) {
            return Optional.empty();
        }
        ImageReference pinned = ref.withDigest(tagDigest.get());
        Map<Platform, Digest> byPlatform = images.get(tagDigest.get());
        if (byPlatform == null) {
            byPlatform = read(pinned);
            images.put(tagDigest.get(), byPlatform);
        }
        Digest digest = byPlatform.get(platform);
        if (digest == null) {
            String has = byPlatform.keySet().stream().map(Platform::toString).collect(Collectors.joining(", "));
            throw new RegistryException(ref + " has no image for " + platform + " (it has images for "
                    + (has.isEmpty() ? "no platform" : has) + ")", 0, false, "PLATFORM_UNKNOWN");
        }
        return Optional.of(new PlatformManifest(ref, tagDigest.get(), platform, digest, List.copyOf(byPlatform.keySet())));
    }

    private Map<Platform, Digest> read(ImageReference pinned) {
        Manifest manifest = client.manifest(pinned).orElseThrow(() -> new RegistryException("image " + pinned
                + " vanished while it was read", 404, false, "MANIFEST_UNKNOWN"));
        JsonNode json = ManifestJson.read(manifest.content(), "manifest " + manifest.digest());
        Map<Platform, Digest> byPlatform = new LinkedHashMap<>();
        if (!manifest.isIndex()) {
            Digest config = ManifestJson.configDigest(manifest);
            JsonNode image = ManifestJson.read(client.blob(pinned.registry(), pinned.repository(), config), "image config " + config);
            platform(image.path("os").asText(""), image.path("architecture").asText(""), image.path("variant").asText(""))
                    .ifPresent(p -> byPlatform.put(p, manifest.digest()));
            return Map.copyOf(byPlatform);
        }
        List<JsonNode> entries = new ArrayList<>();
        json.path("manifests").forEach(entries::add);
        for (JsonNode entry : entries) {
            if (entry.path("annotations").path(REFERENCE_TYPE).asText("").equals("attestation-manifest")) {
                continue;
            }
            JsonNode p = entry.path("platform");
            Optional<Platform> platform = platform(p.path("os").asText(""), p.path("architecture").asText(""),
                    p.path("variant").asText(""));
            if (platform.isPresent() && !byPlatform.containsKey(platform.get())) {
                try {
                    byPlatform.put(platform.get(), Digest.parse(entry.path("digest").asText("")));
                } catch (IllegalArgumentException e) {
                    throw new RegistryException("index " + manifest.digest() + " of " + pinned
                            + " holds an invalid digest: " + e.getMessage(), 0, false, "MANIFEST_INVALID", e);
                }
            }
        }
        return Collections.unmodifiableMap(byPlatform);
    }

    /** The platform of an index entry or config; empty for none or {@code unknown/unknown}. */
    private static Optional<Platform> platform(String os, String architecture, String variant) {
        if (os.isEmpty() || architecture.isEmpty() || os.equals("unknown") || architecture.equals("unknown")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Platform(os, architecture, variant));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a platform this client cannot name is none Freshen builds for
        }
    }
}

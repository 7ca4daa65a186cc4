package dev.freshen.publisher.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.registry.BlobCopyResult;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings an image pinned by digest into another repository through the distribution API, without rebuilding
 * anything: nothing to do within one repository; blob mounts between repositories of one registry (falling back to
 * a copy where the registry will not mount); blob copies between registries. The manifests of an index go along,
 * put by digest. Manifest bytes are never rewritten, so the digest stays the verified one.
 *
 * <p>A blob copy between registries (or where a mount is refused) streams: the source blob is read once and
 * uploaded in chunks ({@link RegistryClient#copyBlob}), so memory stays at one chunk buffer (16 MiB) whatever the
 * layer's size, and a chunk whose connection fails is resumed where the target says it stopped. The sizes come from
 * the manifest's descriptors.
 */
public final class ImageCopier {

    private static final Logger LOG = Logger.getLogger(ImageCopier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INDEX_DEPTH = 2;

    private final RegistryClient client;

    public ImageCopier(RegistryClient client) {
        this.client = client;
    }

    /**
     * @param source   the verified image, pinned by digest
     * @return its manifest, bytes as served by the source
     * @throws PublishFailure when the image is gone or a registry fails
     */
    public Manifest copy(ImageReference source, String registry, String repository) {
        String into = registry + "/" + repository;
        try {
            Manifest manifest = client.manifest(source.byDigestOnly()).orElseThrow(() -> PublishFailure.permanent(PublishFailure.CANDIDATE_MISSING,
                    "the verified image " + source.byDigestOnly() + " no longer exists"));
            if (!source.registry().equals(registry) || !source.repository().equals(repository)) {
                Counts counts = new Counts();
                copyContent(source.byDigestOnly(), manifest, registry, repository, 0, counts);
                LOG.infof("Brought %s into %s: %d blobs mounted, %d copied (%d chunks resumed), %d already there",
                        source.byDigestOnly(), into, counts.mounted, counts.copied, counts.resumedChunks, counts.present);
            }
            return manifest;
        } catch (RegistryException e) {
            throw RegistryFailures.of("cannot bring " + source.byDigestOnly() + " into " + into, e);
        }
    }

    private void copyContent(ImageReference source, Manifest manifest, String registry, String repository, int depth,
                             Counts counts) {
        JsonNode json = read(manifest);
        if (manifest.isIndex()) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "image " + source + ": indexes nested deeper than " + MAX_INDEX_DEPTH);
            }
            for (JsonNode entry : json.path("manifests")) {
                Digest child = digest(entry, source);
                ImageReference childRef = source.withTag(null).withDigest(child);
                Manifest childManifest = client.manifest(childRef).orElseThrow(() -> PublishFailure.permanent(PublishFailure.CANDIDATE_MISSING,
                        "image " + source + ": its index lists " + child + ", which does not exist"));
                copyContent(childRef, childManifest, registry, repository, depth + 1, counts);
                client.putManifest(registry, repository, child.toString(), childManifest);
            }
            return;
        }
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(json.path("config"));
        json.path("layers").forEach(blobs::add);
        boolean sameRegistry = source.registry().equals(registry);
        for (JsonNode blob : blobs) {
            if (blob.has("urls") && blob.path("mediaType").asText("").contains("foreign")) {
                continue; // foreign layers (Windows bases) are fetched from their URLs, never pushed
            }
            Digest digest = digest(blob, source);
            if (sameRegistry && client.mountBlob(registry, source.repository(), repository, digest)) {
                counts.mounted++;
            } else {
                BlobCopyResult copied = client.copyBlob(source.registry(), source.repository(), registry, repository,
                        digest, size(blob, source));
                if (copied.alreadyPresent()) {
                    counts.present++;
                } else {
                    counts.copied++;
                    counts.resumedChunks += copied.resumedChunks();
                }
            }
        }
    }

    private static Digest digest(JsonNode descriptor, ImageReference in) {
        try {
            return Digest.parse(descriptor.path("digest").asText(""));
        } catch (IllegalArgumentException e) {
            throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "image " + in + " references an invalid digest: " + e.getMessage(), e);
        }
    }

    private static long size(JsonNode descriptor, ImageReference in) {
        JsonNode size = descriptor.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "image " + in + " references blob "
                    + descriptor.path("digest").asText("") + " without a valid size");
        }
        return size.asLong();
    }

    private static JsonNode read(Manifest manifest) {
        try {
            return JSON.readTree(manifest.content());
        } catch (IOException e) {
            throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "manifest " + manifest.digest() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static final class Counts {
        int mounted;
        int copied;
        int present;
        int resumedChunks;
    }
}

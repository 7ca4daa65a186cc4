package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.PlatformDigest;

import java.time.Instant;
import java.util.List;

/**
 * The verified digest is now in the target registry under a new version. {@code image} is the reference to
 * paste into a Dockerfile, {@code <registry>/<repository>:<version tag>@sha256:…}; {@code registry},
 * {@code repository} and {@code digest} are also written as plain JSON fields for subscribers.
 *
 * <p>Optional, added in a compatible way: {@code replaces} is the version tag that was the newest before this one
 * ({@code 10.0-1.0.0} for {@code 10.0-1.1.0}), {@code null} for the first version or when a writer did not know it.
 * {@code scan} is the candidate's scan findings as the tester reported them in {@code ImageVerified.scan}, copied
 * unchanged; {@code null} when there were none. {@code manifests}: for a multi-platform image, {@code image} is the
 * OCI image index (the very bytes the tester verified) and {@code manifests} its children, one per platform, in index
 * order; empty and not written for a single-platform image.
 */
public record ImagePublished(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                             List<BaseImage> baseImages, ImageReference image, String version, List<String> tags,
                             List<StageTiming> timings, String replaces, ScanFindings scan,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PlatformDigest> manifests) implements FreshenEvent {

    public ImagePublished {
        Require.envelope("ImagePublished", runId, imageId, attempt, occurredAt);
        Require.present(trigger, "ImagePublished", "trigger");
        baseImages = Require.nonEmpty(baseImages, "ImagePublished", "baseImages");
        Require.present(image, "ImagePublished", "image");
        if (!image.isPinned() || image.tag() == null) {
            throw new IllegalArgumentException("ImagePublished: field 'image' must carry the version tag and the digest, was "
                    + image);
        }
        Require.present(version, "ImagePublished", "version");
        tags = Require.nonEmpty(tags, "ImagePublished", "tags");
        if (!tags.contains(image.tag())) {
            throw new IllegalArgumentException("ImagePublished: field 'tags' must include the version tag " + image.tag());
        }
        timings = Require.listOrEmpty(timings);
        if (replaces != null && replaces.isBlank()) {
            replaces = null;
        }
        manifests = PlatformDigest.checked(manifests, "ImagePublished");
    }

    /** A single-platform publish. */
    public ImagePublished(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                          List<BaseImage> baseImages, ImageReference image, String version, List<String> tags,
                          List<StageTiming> timings, String replaces, ScanFindings scan) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, image, version, tags, timings, replaces, scan,
                List.of());
    }

    /** This publish of a multi-platform image whose index {@code image} names {@code children}, in index order. */
    public ImagePublished withManifests(List<PlatformDigest> children) {
        return new ImagePublished(runId, imageId, attempt, occurredAt, trigger, baseImages, image, version, tags,
                timings, replaces, scan, children);
    }

    /** A publish without scan findings. */
    public ImagePublished(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                          List<BaseImage> baseImages, ImageReference image, String version, List<String> tags,
                          List<StageTiming> timings, String replaces) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, image, version, tags, timings, replaces, null);
    }

    /** This publish with the scan findings {@code scan} (null: none). */
    public ImagePublished withScan(ScanFindings scan) {
        return new ImagePublished(runId, imageId, attempt, occurredAt, trigger, baseImages, image, version, tags,
                timings, replaces, scan, manifests);
    }

    /** A publish without the version it replaces. */
    public ImagePublished(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                          List<BaseImage> baseImages, ImageReference image, String version, List<String> tags,
                          List<StageTiming> timings) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, image, version, tags, timings, null, null);
    }

    @JsonProperty("registry")
    public String registry() {
        return image.registry();
    }

    @JsonProperty("repository")
    public String repository() {
        return image.repository();
    }

    @JsonProperty("digest")
    public Digest digest() {
        return image.digest();
    }
}

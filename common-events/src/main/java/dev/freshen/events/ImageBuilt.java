package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.PlatformDigest;

import java.time.Instant;
import java.util.List;

/**
 * The builder built the platform image from exactly {@code baseImages} and pushed it as {@code candidate},
 * a reference pinned by digest in the staging location.
 *
 * <p>Optional, added in a compatible way: for a multi-platform image {@code candidate} is the digest of an OCI image
 * index and {@code manifests} lists its children, one per platform, in index order (two or more); empty and not
 * written for a single-platform image, whose {@code candidate} is an image manifest.
 */
public record ImageBuilt(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                         List<BaseImage> baseImages, ImageReference candidate, List<String> warnings,
                         List<StageTiming> timings, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PlatformDigest> manifests) implements FreshenEvent {

    public ImageBuilt {
        Require.envelope("ImageBuilt", runId, imageId, attempt, occurredAt);
        Require.present(trigger, "ImageBuilt", "trigger");
        baseImages = Require.nonEmpty(baseImages, "ImageBuilt", "baseImages");
        Require.present(candidate, "ImageBuilt", "candidate");
        if (!candidate.isPinned()) {
            throw new IllegalArgumentException("ImageBuilt: field 'candidate' must be pinned by digest, was " + candidate);
        }
        warnings = Require.listOrEmpty(warnings);
        timings = Require.listOrEmpty(timings);
        manifests = PlatformDigest.checked(manifests, "ImageBuilt");
    }

    /** A single-platform image: {@code candidate} is an image manifest. */
    public ImageBuilt(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                      List<BaseImage> baseImages, ImageReference candidate, List<String> warnings,
                      List<StageTiming> timings) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, warnings, timings, List.of());
    }

    /** This event for a multi-platform image whose index {@code candidate} names {@code children}, in index order. */
    public ImageBuilt withManifests(List<PlatformDigest> children) {
        return new ImageBuilt(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, warnings, timings,
                children);
    }
}

package dev.freshen.events;

import java.time.Instant;
import java.util.List;

/**
 * The watcher saw at least one external base of a platform image at a digest the current platform image
 * was not built from (or the image was never published), the image's definition changed, or a parent platform
 * image it is built FROM published (the {@code trigger} says which). {@code contentHash} is the hash that went into
 * the deterministic {@code runId}: since definitions are labelled, the image's definition hash (Dockerfile, build
 * context, build settings; see {@code docs/descriptors.md}, "What defines an image"). {@code definition} is that
 * definition hash ({@code sha256:…}), which the builder checks against its own copy of the image folder and labels
 * the image with ({@code dev.freshen.definition}); {@code null} in events written before the field existed.
 *
 * <p>{@code trigger} says why the watcher started the run. It is optional on the wire: an event without it (written
 * before the field existed) reads as {@link Trigger#baseImageUpdated()}. It exists so that a watcher may name other
 * reasons later (a changed definition, a published parent) and the builder, which copies it into {@code ImageBuilt},
 * passes on a kind it does not know instead of replacing it.
 */
public record BaseImageUpdated(String runId, String imageId, int attempt, Instant occurredAt,
                               List<BaseImage> baseImages, String contentHash, Trigger trigger,
                               String definition) implements FreshenEvent {

    public BaseImageUpdated {
        Require.envelope("BaseImageUpdated", runId, imageId, attempt, occurredAt);
        baseImages = Require.nonEmpty(baseImages, "BaseImageUpdated", "baseImages");
        Require.present(contentHash, "BaseImageUpdated", "contentHash");
        if (trigger == null) {
            trigger = Trigger.baseImageUpdated();
        }
    }

    /** An update without the definition hash (written before the field existed). */
    public BaseImageUpdated(String runId, String imageId, int attempt, Instant occurredAt, List<BaseImage> baseImages,
                            String contentHash, Trigger trigger) {
        this(runId, imageId, attempt, occurredAt, baseImages, contentHash, trigger, null);
    }

    /** An update triggered by the base digests themselves ({@link Trigger#baseImageUpdated()}). */
    public BaseImageUpdated(String runId, String imageId, int attempt, Instant occurredAt, List<BaseImage> baseImages,
                            String contentHash) {
        this(runId, imageId, attempt, occurredAt, baseImages, contentHash, null, null);
    }
}

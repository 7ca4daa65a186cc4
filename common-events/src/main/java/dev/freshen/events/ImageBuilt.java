package dev.freshen.events;

import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * The builder built the platform image from exactly {@code baseImages} and pushed it as {@code candidate},
 * a reference pinned by digest in the staging location.
 */
public record ImageBuilt(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                         List<BaseImage> baseImages, ImageReference candidate, List<String> warnings,
                         List<StageTiming> timings) implements FreshenEvent {

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
    }
}
